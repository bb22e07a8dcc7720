package dev.slipway.portal.registry;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class AllImagesController {

    private final ServiceImages images;

    AllImagesController(ServiceImages images) {
        this.images = images;
    }

    @GetMapping("/api/v1/images")
    @Operation(summary = "Every image of the platform's registry, newest first, with its service (the Images view);"
            + " not counted: page on until a page comes back short")
    List<ServiceImages.ListedImage> all(
            @Parameter(description = "true: the images no service owns (platform admins only)")
            @RequestParam(defaultValue = "false") boolean unowned,
            @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit) {
        return images.all(unowned, offset, limit);
    }
}
