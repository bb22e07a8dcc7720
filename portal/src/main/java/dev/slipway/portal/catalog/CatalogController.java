package dev.slipway.portal.catalog;

import dev.slipway.portal.promotion.Environments;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Catalog", description = "Teams and the services they own")
class CatalogController {

    private final Catalog catalog;
    private final Environments environments;

    CatalogController(Catalog catalog, Environments environments) {
        this.catalog = catalog;
        this.environments = environments;
    }

    record ServiceSummary(UUID id, String team, String name, String template, String templateVersion,
                          String description, String createdBy, Instant createdAt) {
        static ServiceSummary of(Service s) {
            return new ServiceSummary(s.id(), s.team(), s.name(), s.templateId(), s.templateVersion(),
                    s.description(), s.createdBy(), s.createdAt());
        }
    }

    record EnvironmentView(String name, String cluster, String tier, String namespace) {
    }

    record ServiceDetail(UUID id, String team, String name, String template, String templateVersion,
                         String description, String createdBy, Instant createdAt,
                         List<EnvironmentView> environments) {
    }

    record TeamView(String name, String displayName, UUID entraGroupId, List<QuotaView> quotas) {
        static TeamView of(Team team) {
            return new TeamView(team.name(), team.displayName(), team.entraGroupId(),
                    team.quotas().entrySet().stream()
                            .sorted(java.util.Map.Entry.comparingByKey())
                            .map(e -> QuotaView.of(e.getKey(), e.getValue())).toList());
        }
    }

    record QuotaView(String tier, int requestsCpuMillis, int requestsMemoryMib, int limitsCpuMillis,
                     int limitsMemoryMib, int maxPods) {
        static QuotaView of(QuotaTier tier, TeamQuota q) {
            return new QuotaView(tier.id(), q.requestsCpuMillis(), q.requestsMemoryMib(), q.limitsCpuMillis(),
                    q.limitsMemoryMib(), q.maxPods());
        }
    }

    @GetMapping("/services")
    @Operation(summary = "List services", description = "Sorted by team and name. The total number of matches is"
            + " in the X-Total-Count header.")
    List<ServiceSummary> services(
            @Parameter(description = "only this team's services") @RequestParam(required = false) String team,
            @Parameter(description = "only services whose name contains this") @RequestParam(required = false) String name,
            @RequestParam(defaultValue = "0") int offset,
            @RequestParam(defaultValue = "100") int limit,
            HttpServletResponse response) {
        var filter = new ServiceFilter(team, name);
        List<ServiceSummary> page = catalog.services(filter, offset, limit).stream().map(ServiceSummary::of).toList();
        response.setHeader("X-Total-Count", Integer.toString(catalog.countServices(filter)));
        return page;
    }

    @GetMapping("/services/{team}/{name}")
    @Operation(summary = "One service, with the environments it deploys to")
    ServiceDetail service(@PathVariable String team, @PathVariable String name) {
        Service s = catalog.service(team, name);
        List<EnvironmentView> envs = environments.all().stream()
                .map(e -> new EnvironmentView(e.name(), e.cluster(), e.tier().name().toLowerCase(java.util.Locale.ROOT),
                        e.namespaceOf(s.team())))
                .toList();
        return new ServiceDetail(s.id(), s.team(), s.name(), s.templateId(), s.templateVersion(), s.description(),
                s.createdBy(), s.createdAt(), envs);
    }

    @GetMapping("/teams")
    @Operation(summary = "List teams with their quotas")
    List<TeamView> teams() {
        return catalog.teams().stream().map(TeamView::of).toList();
    }

    @GetMapping("/teams/{name}")
    @Operation(summary = "One team with its quotas")
    TeamView team(@PathVariable String name) {
        return TeamView.of(catalog.team(name));
    }
}
