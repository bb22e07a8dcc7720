package dev.slipway.portal.promotion;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/promotions")
@Tag(name = "Promotions", description = "Releases moving dev → test → prod, behind the gate and QA's approval")
class PromotionsController {

    private final Promotions promotions;

    PromotionsController(Promotions promotions) {
        this.promotions = promotions;
    }

    record Request(String team, String service, String environment, String digest) {
    }

    record Decision(String comment) {
    }

    @PostMapping
    @Operation(summary = "Request that an environment run an image (developers of the team); 202 with the promotion,"
            + " which may be blocked with every reason")
    ResponseEntity<Promotion> request(@RequestBody Request request) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(promotions.request(request.team(), request.service(),
                request.environment(), request.digest()));
    }

    @GetMapping
    @Operation(summary = "Promotions, newest first, narrowed by state, team, service and environment")
    List<Promotion> list(@RequestParam(required = false) String state, @RequestParam(required = false) String team,
                         @RequestParam(required = false) String service,
                         @RequestParam(required = false) String environment,
                         @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit) {
        return promotions.list(state, team, service, environment, offset, limit);
    }

    @GetMapping("/queue")
    @Operation(summary = "QA's queue: the promotions awaiting approval, oldest first")
    List<Promotion> queue(@RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit) {
        return promotions.queue(offset, limit);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One promotion with its transitions, decisions, gate verdict and pull request")
    Promotion get(@PathVariable UUID id) {
        return promotions.get(id);
    }

    @PostMapping("/{id}/approve")
    @Operation(summary = "Approve (QA engineers who did not request it; each once)")
    Promotion approve(@PathVariable UUID id, @RequestBody(required = false) Decision decision) {
        return promotions.approve(id, decision == null ? null : decision.comment());
    }

    @PostMapping("/{id}/reject")
    @Operation(summary = "Reject, with a comment (QA engineers who did not request it)")
    Promotion reject(@PathVariable UUID id, @RequestBody(required = false) Decision decision) {
        return promotions.reject(id, decision == null ? null : decision.comment());
    }

    @PostMapping("/{id}/cancel")
    @Operation(summary = "Cancel one not yet written to Git (its requester, a developer of its team, a platform admin)")
    Promotion cancel(@PathVariable UUID id, @RequestBody(required = false) Decision decision) {
        return promotions.cancel(id, decision == null ? null : decision.comment());
    }
}
