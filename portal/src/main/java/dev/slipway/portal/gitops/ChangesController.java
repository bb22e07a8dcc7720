package dev.slipway.portal.gitops;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/changes")
@Tag(name = "Changes", description = "Writes to the GitOps repository: state, commit, pull request")
class ChangesController {

    private final Changes changes;
    private final ChangeFiles files;

    ChangesController(Changes changes, ChangeFiles files) {
        this.changes = changes;
        this.files = files;
    }

    @GetMapping("/{id}")
    @Operation(summary = "A change: pending, committed (with its commit SHA), pull-request-open (with its link),"
            + " merged, conflicting or failed (with the reason); lastError says why a pending change waits")
    ChangeRecord change(@PathVariable UUID id) {
        return changes.change(id);
    }

    @GetMapping("/{id}/files")
    @Operation(summary = "The files a change writes, each as a unified diff against the branch (before the change"
            + " is written, against its tip; after, against what the branch held just before its commit)")
    ChangeFiles.Diffs files(@PathVariable UUID id) {
        return files.of(id);
    }
}
