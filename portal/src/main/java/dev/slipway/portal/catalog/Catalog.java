package dev.slipway.portal.catalog;

import dev.slipway.portal.api.ConflictException;
import dev.slipway.portal.api.InvalidInputException;
import dev.slipway.portal.api.NotFoundException;
import dev.slipway.portal.environment.Environments;
import dev.slipway.portal.security.CurrentUser;
import dev.slipway.portal.security.Role;
import dev.slipway.portal.security.TeamDirectory;
import dev.slipway.templates.KubernetesNames;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Teams and their services: what the UI's lists and the REST API read, and where platform admins
 * manage teams. Every public method checks the caller first.
 */
@Component
public class Catalog implements TeamDirectory {

    public static final int MAX_PAGE_SIZE = 500;

    private final CatalogRepository repository;
    private final CurrentUser currentUser;
    private final Environments environments;
    private final dev.slipway.portal.audit.AuditLog audit;
    private final org.springframework.context.ApplicationEventPublisher events;

    Catalog(CatalogRepository repository, CurrentUser currentUser, Environments environments,
            dev.slipway.portal.audit.AuditLog audit, org.springframework.context.ApplicationEventPublisher events) {
        this.audit = audit;
        this.events = events;
        this.repository = repository;
        this.currentUser = currentUser;
        this.environments = environments;
    }

    @Transactional(readOnly = true)
    public List<Team> teams() {
        currentUser.requireReader();
        return repository.findAllTeams();
    }

    @Transactional(readOnly = true)
    public Team team(String name) {
        currentUser.requireReader();
        return repository.findTeam(name).orElseThrow(() -> unknownTeam(name));
    }

    @Transactional(readOnly = true)
    public List<Service> services(ServiceFilter filter, int offset, int limit) {
        currentUser.requireReader();
        checkTeamFilter(filter);
        if (offset < 0 || limit < 1 || limit > MAX_PAGE_SIZE) {
            throw InvalidInputException.of(offset < 0 ? "offset" : "limit", offset < 0
                    ? "must not be negative" : "must be between 1 and " + MAX_PAGE_SIZE);
        }
        return repository.findServices(filter, offset, limit);
    }

    @Transactional(readOnly = true)
    public int countServices(ServiceFilter filter) {
        currentUser.requireReader();
        checkTeamFilter(filter);
        return repository.countServices(filter);
    }

    @Transactional(readOnly = true)
    public Service service(String team, String name) {
        currentUser.requireReader();
        return repository.findService(team, name).orElseThrow(() -> repository.teamExists(team)
                ? new NotFoundException("Team " + team + " has no service named " + name + ".")
                : unknownTeam(team));
    }

    /**
     * Adds a service to a team's catalog, in the caller's transaction (the scaffold stores the
     * service, its change and the audit entry together). Needs a developer of that team.
     *
     * @throws ConflictException when the team has a service of that name already
     */
    @Transactional
    public Service registerService(Team owner, String name, String templateId, String templateVersion,
                                   String description) {
        var user = currentUser.requireDeveloperOf(owner.name());
        try {
            return repository.insertService(owner.id(), name, templateId, templateVersion,
                    description == null ? "" : description, user.username());
        } catch (org.springframework.dao.DuplicateKeyException duplicate) {
            if (String.valueOf(duplicate.getMessage()).contains("services_application_name_unique")) {
                throw new ConflictException("The Argo CD applications of " + owner.name() + "/" + name + " would be named "
                        + owner.name() + "-" + name + "-<environment>, like those of another team's service"
                        + " (team and service names joined by a hyphen): choose another name.");
            }
            throw new ConflictException("Team " + owner.name() + " already has a service named " + name + ".");
        }
    }

    /** Whether a team has a service of that name (for an early answer; the database decides). */
    @Transactional(readOnly = true)
    public boolean serviceExists(String team, String name) {
        currentUser.requireReader();
        return repository.findService(team, name).isPresent();
    }

    @Transactional
    public Team createTeam(String name, String displayName, UUID entraGroupId, Map<QuotaTier, TeamQuota> quotas) {
        currentUser.require(Role.PLATFORM_ADMIN);
        List<String> nameErrors = teamNameErrors(name);
        if (!nameErrors.isEmpty()) {
            throw InvalidInputException.of("name", String.join("; ", nameErrors));
        }
        if (displayName == null || displayName.isBlank() || displayName.length() > 200) {
            throw InvalidInputException.of("displayName", "must be 1 to 200 characters");
        }
        var withDefaults = new java.util.EnumMap<QuotaTier, TeamQuota>(QuotaTier.class);
        withDefaults.put(QuotaTier.NONPROD, TeamQuota.DEFAULT_NONPROD);
        withDefaults.put(QuotaTier.PROD, TeamQuota.DEFAULT_PROD);
        withDefaults.putAll(quotas);
        withDefaults.forEach(Catalog::checkQuota);
        if (!repository.insertTeamIfAbsent(name, displayName.strip(), entraGroupId, withDefaults)) {
            throw new ConflictException("A team named " + name + " exists already.");
        }
        return repository.findTeam(name).orElseThrow();
    }

    @Transactional
    public Team updateTeam(String name, String displayName, UUID entraGroupId, Map<QuotaTier, TeamQuota> quotas) {
        var admin = currentUser.require(Role.PLATFORM_ADMIN);
        Team team = repository.findTeam(name).orElseThrow(() -> unknownTeam(name));
        if (displayName == null || displayName.isBlank() || displayName.length() > 200) {
            throw InvalidInputException.of("displayName", "must be 1 to 200 characters");
        }
        quotas.forEach(Catalog::checkQuota);
        repository.updateTeam(team.id(), displayName.strip(), entraGroupId, quotas);
        Team updated = repository.findTeam(name).orElseThrow();
        var details = new java.util.LinkedHashMap<String, String>();
        details.put("displayName", updated.displayName());
        details.put("entraGroupId", updated.entraGroupId() == null ? "" : updated.entraGroupId().toString());
        updated.quotas().forEach((tier, quota) -> details.put("quota." + tier.id(), quota.toString()));
        audit.record(admin.username(), "team.updated", "team/" + name, details);
        // the namespace bundles in Git follow, in this transaction (the scaffold feature renders them)
        events.publishEvent(new TeamChanged(team, updated, admin.username(), repository.hasServices(team.id())));
        return updated;
    }

    /**
     * The teams whose Entra ID group is among the given group object ids: how an Entra ID user's
     * team membership is known. Called while signing in, before there is a user to check.
     */
    @Override
    @Transactional(readOnly = true)
    public List<String> teamsOfEntraGroups(java.util.Collection<String> groupIds) {
        List<UUID> ids = groupIds.stream().map(Catalog::uuidOrNull).filter(java.util.Objects::nonNull).toList();
        return repository.teamsOfGroups(ids);
    }

    /**
     * A team for Slipway's own start-up work, which acts for no user (moving the GitOps repository to
     * a new layout); never called on behalf of a request.
     */
    @Transactional(readOnly = true)
    public Optional<Team> teamForSlipway(String name) {
        return repository.findTeam(name);
    }

    /**
     * A service for Slipway's own work on a registry's event (which acts for no user: the webhook
     * authenticated the registry); never called on behalf of a request.
     */
    @Transactional(readOnly = true)
    public Optional<Service> serviceForSlipway(String team, String name) {
        return repository.findService(team, name);
    }

    private static UUID uuidOrNull(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException notAGroupId) {
            return null;
        }
    }

    /**
     * The rules for a team name: a DNS-1123 label short enough that {@code <team>-<env>} is still a
     * valid namespace name for every configured environment.
     */
    public List<String> teamNameErrors(String name) {
        if (name == null || name.isEmpty()) {
            return List.of("must not be empty");
        }
        List<String> errors = new java.util.ArrayList<>(KubernetesNames.dns1123Label(name));
        int longestEnvironment = environments.all().stream().mapToInt(e -> e.name().length()).max().orElse(0);
        int max = KubernetesNames.DNS1123_LABEL_MAX_LENGTH - 1 - longestEnvironment;
        if (errors.isEmpty() && name.length() > max) {
            errors.add("must be no more than " + max + " characters, so that <team>-<environment> is a valid"
                    + " namespace name");
        }
        return errors;
    }

    /** The rules for a service name: it becomes a Kubernetes Service name, so a DNS-1035 label. */
    public static List<String> serviceNameErrors(String name) {
        if (name == null || name.isEmpty()) {
            return List.of("must not be empty");
        }
        return KubernetesNames.dns1035Label(name);
    }

    private void checkTeamFilter(ServiceFilter filter) {
        if (filter.team() != null && !repository.teamExists(filter.team())) {
            throw unknownTeam(filter.team());
        }
    }

    private static void checkQuota(QuotaTier tier, TeamQuota quota) {
        String field = "quotas." + tier.id();
        if (quota.requestsCpuMillis() <= 0 || quota.requestsMemoryMib() <= 0 || quota.maxPods() <= 0) {
            throw InvalidInputException.of(field, "requests and pods must be positive");
        }
        if (quota.limitsCpuMillis() < quota.requestsCpuMillis() || quota.limitsMemoryMib() < quota.requestsMemoryMib()) {
            throw InvalidInputException.of(field, "limits must be at least the requests");
        }
    }

    private static NotFoundException unknownTeam(String team) {
        return new NotFoundException("There is no team named " + team + ".");
    }
}
