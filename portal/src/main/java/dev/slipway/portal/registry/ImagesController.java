package dev.slipway.portal.registry;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.servlet.http.HttpServletResponse;
import java.util.EnumSet;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/services/{team}/{name}/images")
class ImagesController {

    private final ServiceImages images;
    private final ScanGate gate;

    ImagesController(ServiceImages images, ScanGate gate) {
        this.images = images;
        this.gate = gate;
    }

    @GetMapping
    @Operation(summary = "The images of a service's repository, newest first, with what their scans found and where"
            + " Git pins them; the total is in the X-Total-Count header")
    List<ServiceImages.ImageSummary> images(@PathVariable String team, @PathVariable String name,
                                            @RequestParam(defaultValue = "0") int offset,
                                            @RequestParam(defaultValue = "100") int limit,
                                            HttpServletResponse response) {
        ServiceImages.Page<ServiceImages.ImageSummary> page = images.ofService(team, name, offset, limit);
        response.setHeader("X-Total-Count", Integer.toString(page.total()));
        return page.items();
    }

    @GetMapping("/{digest}")
    @Operation(summary = "One image: its summary, a page of its findings (worst first, each source's apart, the"
            + " waiver that covers each) and the waivers that concern it")
    ServiceImages.ImageDetail image(@PathVariable String team, @PathVariable String name, @PathVariable String digest,
                                    @Parameter(description = "critical, high, medium, low or unknown; repeat for several")
                                    @RequestParam(required = false) List<String> severity,
                                    @Parameter(description = "true: only findings with a fix; false: only those without")
                                    @RequestParam(required = false) Boolean fixable,
                                    @RequestParam(defaultValue = "0") int offset,
                                    @RequestParam(defaultValue = "100") int limit) {
        var severities = EnumSet.noneOf(Finding.Severity.class);
        if (severity != null) {
            for (String given : severity) {
                Finding.Severity parsed = Finding.Severity.of(given);
                if (parsed == Finding.Severity.UNKNOWN && !"unknown".equalsIgnoreCase(given.trim())) {
                    throw dev.slipway.portal.api.InvalidInputException.of("severity",
                            "must be critical, high, medium, low or unknown");
                }
                severities.add(parsed);
            }
        }
        return images.image(team, name, digest, severities, fixable, offset, limit);
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
