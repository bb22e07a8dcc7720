package dev.slipway.portal.registry;

import dev.slipway.portal.api.PayloadTooLargeException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
class ScansController {

    private final Scans scans;
    private final long maxReportBytes;

    ScansController(Scans scans, ScansProperties properties) {
        this.scans = scans;
        this.maxReportBytes = properties.maxReportSize().toBytes();
    }

    record Counts(int total, int fixable) {
    }

    record Stored(String image, String source, Instant scannedAt, int findings, Map<String, Counts> severities) {
        static Stored of(Scans.Scan scan) {
            var severities = new LinkedHashMap<String, Counts>();
            for (Finding.Severity severity : Finding.Severity.values()) {
                severities.put(severity.id(), new Counts(scan.summary().total(severity), scan.summary().fixable(severity)));
            }
            return new Stored(scan.image().toString(), scan.source(), scan.scannedAt(), scan.summary().findings(),
                    severities);
        }
    }

    @PostMapping("/scans")
    @Operation(summary = "Upload a Trivy JSON report (SchemaVersion 2) of an image",
            description = "The body is the report as `trivy image --format json` writes it. The image is the one named"
                    + " in Metadata.RepoDigests, or by ?image=. It replaces the image's previous Trivy scan.")
    ResponseEntity<Stored> upload(
            @Parameter(description = "<registry>/<repository>@sha256:<digest>, when the report names no digest")
            @RequestParam(required = false) String image, HttpServletRequest request) throws IOException {
        scans.requireUploader(); // before a byte is read
        if (request.getContentLengthLong() > maxReportBytes) {
            throw tooLarge();
        }
        Path spooled = Files.createTempFile("slipway-trivy-", ".json");
        try {
            // spooled to disk, not memory, and read from there twice: no transaction waits on a slow upload
            try (InputStream in = request.getInputStream(); OutputStream out = Files.newOutputStream(spooled)) {
                byte[] buffer = new byte[64 * 1024];
                long written = 0;
                for (int n; (n = in.read(buffer)) > 0; ) {
                    written += n;
                    if (written > maxReportBytes) {
                        throw tooLarge();
                    }
                    out.write(buffer, 0, n);
                }
            }
            return ResponseEntity.status(HttpStatus.CREATED).body(Stored.of(scans.uploadTrivy(spooled, image)));
        } finally {
            Files.deleteIfExists(spooled);
        }
    }

    private PayloadTooLargeException tooLarge() {
        return new PayloadTooLargeException("A scan report is at most " + maxReportBytes + " bytes"
                + " (slipway.scans.max-report-size).");
    }
}
