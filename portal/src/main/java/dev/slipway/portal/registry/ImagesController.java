package dev.slipway.portal.registry;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/services/{team}/{name}/images")
class ImagesController {

    private final Images images;
    private final ScanGate gate;

    ImagesController(Images images, ScanGate gate) {
        this.images = images;
        this.gate = gate;
    }

    record ImageView(String digest, List<String> tags, String mediaType, Long size, Instant pushedAt, boolean deleted,
                     String reference) {
        static ImageView of(Images.Image image) {
            return new ImageView(image.digest(), image.tags(), image.mediaType(), image.size(), image.pushedAt(),
                    image.deleted(), image.registry() + "/" + image.repository() + "@" + image.digest());
        }
    }

    @GetMapping
    @Operation(summary = "The images of a service's repository, newest first (at most 500)")
    List<ImageView> images(@PathVariable String team, @PathVariable String name) {
        return images.ofService(team, name).stream().map(ImageView::of).toList();
    }

    @GetMapping("/{digest}/gate")
    @Operation(summary = "Whether the image's scans let it go to an environment: pass, or every reason it fails",
            description = "The environment's scan policy (slipway.scans.gate) over the findings of every source,"
                    + " less those an active waiver covers. A failing gate answers 200 with passes=false.")
    ScanGate.Verdict gate(@PathVariable String team, @PathVariable String name, @PathVariable String digest,
                          @Parameter(description = "an environment's name, e.g. prod") @RequestParam String environment) {
        return gate.evaluate(team, name, digest, environment);
    }
}
