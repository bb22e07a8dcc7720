package dev.slipway.portal.catalog;

import dev.slipway.portal.cluster.EnvironmentStatus;
import dev.slipway.portal.cluster.StatusHistory;
import dev.slipway.portal.cluster.StatusModel;
import dev.slipway.portal.environment.Environments;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import dev.slipway.portal.api.InvalidInputException;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
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

    private final StatusModel statuses;
    private final StatusHistory history;

    CatalogController(Catalog catalog, Environments environments, StatusModel statuses, StatusHistory history) {
        this.catalog = catalog;
        this.environments = environments;
        this.statuses = statuses;
        this.history = history;
    }

    record ServiceSummary(UUID id, String team, String name, String template, String templateVersion,
                          String description, String createdBy, Instant createdAt) {
        static ServiceSummary of(Service s) {
            return new ServiceSummary(s.id(), s.team(), s.name(), s.templateId(), s.templateVersion(),
                    s.description(), s.createdBy(), s.createdAt());
        }
    }

    /**
     * What runs there: the state, the running digests with their containers, replicas, the failing
     * condition, what Git asks for, and what Argo CD says.
     */
    record StatusView(String state, Map<String, Integer> running, int desired, int updated, int ready, int available,
                      String reason, String message, Instant since, String workload, GitView git, ArgoView argoCd) {
        static StatusView of(EnvironmentStatus status) {
            return new StatusView(status.state().id(), status.running(), status.desired(), status.updated(), status.ready(),
                    status.available(), status.reason(), status.message(), status.since(), status.workload(),
                    status.git() == null ? null : new GitView(status.git().tag(), status.git().digest()),
                    status.argo() == null ? null : new ArgoView(status.argo().sync(), status.argo().health(),
                            status.argo().revision()));
        }
    }

    /** The image the GitOps branch asks for. */
    record GitView(String tag, String digest) {
    }

    /** The Argo CD Application's sync status, health (Unknown while stale) and synced revision. */
    record ArgoView(String sync, String health, String revision) {
    }

    record EnvironmentView(String name, String cluster, String tier, String namespace, StatusView status) {
    }

    record ServiceDetail(UUID id, String team, String name, String template, String templateVersion,
                         String description, String createdBy, Instant createdAt,
                         List<EnvironmentView> environments) {
    }

    record TeamView(String name, String displayName, UUID entraGroupId, List<QuotaView> quotas) {
        static TeamView of(Team team) {
            return new TeamView(team.name(), team.displayName(), team.entraGroupId(),
                    team.quotas().entrySet().stream()
                            .sorted(Map.Entry.comparingByKey())
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
            @Parameter(description = "only services with an environment in this state (degraded, progressing…)")
            @RequestParam(required = false) String state,
            @RequestParam(defaultValue = "0") int offset,
            @RequestParam(defaultValue = "100") int limit,
            HttpServletResponse response) {
        var filter = new ServiceFilter(team, name);
        if (state == null || state.isBlank()) {
            List<ServiceSummary> page = catalog.services(filter, offset, limit).stream().map(ServiceSummary::of).toList();
            response.setHeader("X-Total-Count", Integer.toString(catalog.countServices(filter)));
            return page;
        }
        EnvironmentStatus.State wanted = java.util.Arrays.stream(EnvironmentStatus.State.values())
                .filter(s -> s.id().equals(state)).findFirst()
                .orElseThrow(() -> InvalidInputException.of("state", "must be one of " + java.util.Arrays.stream(
                        EnvironmentStatus.State.values()).map(EnvironmentStatus.State::id).toList()));
        if (offset < 0 || limit < 1 || limit > Catalog.MAX_PAGE_SIZE) {
            throw InvalidInputException.of(offset < 0 ? "offset" : "limit", "is out of range");
        }
        // the state lives in memory, not in the database: the matches are found over every service of the filter
        var matching = new java.util.ArrayList<ServiceSummary>();
        for (int from = 0; ; from += Catalog.MAX_PAGE_SIZE) {
            List<Service> batch = catalog.services(filter, from, Catalog.MAX_PAGE_SIZE);
            for (Service s : batch) {
                boolean any = environments.all().stream().anyMatch(e -> statuses.status(
                        new EnvironmentStatus.Key(s.team(), s.name(), e.name())).state() == wanted);
                if (any) {
                    matching.add(ServiceSummary.of(s));
                }
            }
            if (batch.size() < Catalog.MAX_PAGE_SIZE) {
                break;
            }
        }
        response.setHeader("X-Total-Count", Integer.toString(matching.size()));
        return matching.subList(Math.min(offset, matching.size()), Math.min(offset + limit, matching.size()));
    }

    @GetMapping("/services/{team}/{name}")
    @Operation(summary = "One service, with the environments it deploys to")
    ServiceDetail service(@PathVariable String team, @PathVariable String name) {
        Service s = catalog.service(team, name);
        List<EnvironmentView> envs = environments.all().stream()
                .map(e -> new EnvironmentView(e.name(), e.cluster(), e.tier().name().toLowerCase(java.util.Locale.ROOT),
                        e.namespaceOf(s.team()), StatusView.of(statuses.status(
                                new EnvironmentStatus.Key(s.team(), s.name(), e.name())))))
                .toList();
        return new ServiceDetail(s.id(), s.team(), s.name(), s.templateId(), s.templateVersion(), s.description(),
                s.createdBy(), s.createdAt(), envs);
    }

    @GetMapping("/services/{team}/{name}/environments/{environment}/history")
    @Operation(summary = "The state changes Slipway saw of a service in an environment, newest first (at most 100)")
    List<StatusHistory.Transition> history(@PathVariable String team, @PathVariable String name,
                                           @PathVariable String environment,
                                           @RequestParam(defaultValue = "100") int limit) {
        Service s = catalog.service(team, name);
        if (environments.find(environment).isEmpty()) {
            throw new dev.slipway.portal.api.NotFoundException("There is no environment " + environment + ".");
        }
        if (limit < 1) {
            throw InvalidInputException.of("limit", "must be at least 1");
        }
        return history.of(new EnvironmentStatus.Key(s.team(), s.name(), environment), limit);
    }

    @GetMapping("/teams")
    @Operation(summary = "List teams with their quotas")
    List<TeamView> teams() {
        return catalog.teams().stream().map(TeamView::of).toList();
    }

    record QuotaInput(Integer requestsCpuMillis, Integer requestsMemoryMib, Integer limitsCpuMillis,
                      Integer limitsMemoryMib, Integer maxPods) {
    }

    record TeamInput(String name, String displayName, String entraGroupId, Map<String, QuotaInput> quotas) {
    }

    @PostMapping(path = "/teams", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a team (platform-admin)", description = "Quotas not given get the defaults.")
    TeamView createTeam(@RequestBody TeamInput input) {
        return TeamView.of(catalog.createTeam(input.name(), input.displayName(), groupId(input.entraGroupId()),
                quotas(input.quotas())));
    }

    @PutMapping(path = "/teams/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Change a team's display name, Entra ID group or quotas (platform-admin)")
    TeamView updateTeam(@PathVariable String name, @RequestBody TeamInput input) {
        if (input.name() != null && !input.name().equals(name)) {
            throw InvalidInputException.of("name", "a team cannot be renamed: its name is in namespaces and paths");
        }
        return TeamView.of(catalog.updateTeam(name, input.displayName(), groupId(input.entraGroupId()),
                quotas(input.quotas())));
    }

    private static UUID groupId(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(text.trim());
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of("entraGroupId", "must be the group's object id (a UUID)");
        }
    }

    private static Map<QuotaTier, TeamQuota> quotas(Map<String, QuotaInput> input) {
        var quotas = new EnumMap<QuotaTier, TeamQuota>(QuotaTier.class);
        if (input == null) {
            return quotas;
        }
        input.forEach((tier, quota) -> {
            String field = "quotas." + tier;
            QuotaTier known = switch (tier) {
                case "nonprod" -> QuotaTier.NONPROD;
                case "prod" -> QuotaTier.PROD;
                default -> throw InvalidInputException.of(field, "unknown tier (known: nonprod, prod)");
            };
            if (quota == null || quota.requestsCpuMillis() == null || quota.requestsMemoryMib() == null
                    || quota.limitsCpuMillis() == null || quota.limitsMemoryMib() == null || quota.maxPods() == null) {
                throw InvalidInputException.of(field, "needs requestsCpuMillis, requestsMemoryMib, limitsCpuMillis,"
                        + " limitsMemoryMib and maxPods");
            }
            quotas.put(known, new TeamQuota(quota.requestsCpuMillis(), quota.requestsMemoryMib(),
                    quota.limitsCpuMillis(), quota.limitsMemoryMib(), quota.maxPods()));
        });
        return quotas;
    }

    @GetMapping("/teams/{name}")
    @Operation(summary = "One team with its quotas")
    TeamView team(@PathVariable String name) {
        return TeamView.of(catalog.team(name));
    }
}
