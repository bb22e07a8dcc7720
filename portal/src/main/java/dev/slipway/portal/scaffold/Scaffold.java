package dev.slipway.portal.scaffold;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.gitops.FileWrite;
import dev.slipway.portal.api.ConflictException;
import dev.slipway.portal.api.InvalidInputException;
import dev.slipway.portal.audit.AuditLog;
import dev.slipway.portal.catalog.Service;
import dev.slipway.portal.gitops.ChangeRecord;
import dev.slipway.portal.gitops.Changes;
import dev.slipway.portal.security.SlipwayUser;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.transaction.support.TransactionTemplate;
import dev.slipway.portal.api.NotFoundException;
import dev.slipway.portal.catalog.Catalog;
import dev.slipway.portal.catalog.QuotaTier;
import dev.slipway.portal.catalog.Team;
import dev.slipway.portal.catalog.TeamQuota;
import dev.slipway.portal.environment.Environment;
import dev.slipway.portal.environment.Environments;
import dev.slipway.portal.security.CurrentUser;
import dev.slipway.templates.EnvironmentSpec;
import dev.slipway.templates.GitOpsLayout;
import dev.slipway.templates.InvalidServiceException;
import dev.slipway.templates.NamespaceBundle;
import dev.slipway.templates.PolicyCheck;
import dev.slipway.templates.Renderer;
import dev.slipway.templates.Rendering;
import dev.slipway.templates.ServiceSpec;
import dev.slipway.templates.Template;
import dev.slipway.templates.TemplateCatalog;
import dev.slipway.templates.TeamSpec;
import dev.slipway.templates.Violation;
import dev.slipway.templates.Yaml;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Creating services from templates: the templates on offer, and the preview of exactly what a
 * new service would write, checked against the platform's policy.
 */
@Component
public class Scaffold {

    private static final int BUNDLES_KEPT = 4096;

    private final TemplateCatalog templates;
    private final Renderer renderer;
    private final PolicyCheck policy;
    private final ChartRenderer charts;
    private final Catalog catalog;
    private final Environments environments;
    private final CurrentUser currentUser;
    private final Changes changes;
    private final Admission admission;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Map<String, List<JsonNode>> parsedBundles = new ConcurrentHashMap<>();

    Scaffold(TemplateCatalog templates, Renderer renderer, PolicyCheck policy, ChartRenderer charts, Catalog catalog,
             Environments environments, CurrentUser currentUser, Changes changes, Admission admission, AuditLog audit,
             TransactionTemplate transactions) {
        this.transactions = transactions;
        this.admission = admission;
        this.changes = changes;
        this.audit = audit;
        this.templates = templates;
        this.renderer = renderer;
        this.policy = policy;
        this.charts = charts;
        this.catalog = catalog;
        this.environments = environments;
        this.currentUser = currentUser;
    }

    public List<Template> templates() {
        currentUser.requireReader();
        return templates.all();
    }

    public Template template(String id) {
        currentUser.requireReader();
        return templates.find(id).orElseThrow(() -> unknownTemplate(id));
    }

    /**
     * The files a service would get, every namespace bundle included, and the policy's verdict on
     * the objects they make once Argo CD renders the chart.
     *
     * @throws NotFoundException     for an unknown template or team
     * @throws InvalidInputException naming every field at fault
     */
    public Preview preview(String templateId, String team, String name, String description, JsonNode parameters) {
        currentUser.requireReader();
        Template template = templates.find(templateId).orElseThrow(() -> unknownTemplate(templateId));
        Team owner = owner(team);
        Rendering rendering = render(template, owner, name, description, parameters);
        return new Preview(template.id(), template.version(), rendering.changeSet(), check(template, owner, rendering));
    }

    /**
     * The rules a new service's input breaks, for a form to show while it is typed: names,
     * description and parameters (not the policy check, which needs the chart: see preview).
     */
    public List<Violation> validate(String templateId, String team, String name, String description,
                                    JsonNode parameters) {
        currentUser.requireReader();
        Template template = templates.find(templateId).orElseThrow(() -> unknownTemplate(templateId));
        if (team == null || team.isBlank()) {
            return List.of(new Violation("team", "is required"));
        }
        Team owner = owner(team);
        var violations = new ArrayList<Violation>();
        try {
            render(template, owner, name, description, parameters);
        } catch (InvalidInputException invalid) {
            invalid.errors().forEach(e -> violations.add(new Violation(e.field(), e.message())));
        }
        if (name != null && !name.isBlank() && violations.stream().noneMatch(v -> v.path().equals("name"))
                && catalog.serviceExists(owner.name(), name)) {
            violations.add(new Violation("name", "team " + owner.name() + " already has a service named " + name));
        }
        return violations;
    }

    /** A new service and the change that writes it, stored together; the worker writes it to Git. */
    public record Created(Service service, ChangeRecord change) {
    }

    /**
     * Creates a service: validates everything, then stores the service row, its pending change and
     * the audit entry in one transaction. Nothing is written when any check fails.
     *
     * @throws NotFoundException     unknown template or team (404)
     * @throws org.springframework.security.access.AccessDeniedException not a developer of the team (403)
     * @throws InvalidInputException a rule broken, each field named (422), the policy check included
     * @throws ConflictException     the team has a service of that name (409)
     * @throws dev.slipway.portal.api.OverloadedException as many creations as Slipway takes at once are under way (429)
     */
    public Created create(String templateId, String team, String name, String description, JsonNode parameters) {
        currentUser.requireReader();
        Template template = templates.find(templateId).orElseThrow(() -> unknownTemplate(templateId));
        Team owner = owner(team);
        SlipwayUser user = currentUser.requireDeveloperOf(owner.name());
        // past the checks that cost nothing: rendering and the policy check take their turn in the bulkhead
        try (Admission.Permit permit = admission.enter()) {
            Rendering rendering = render(template, owner, name, description, parameters);
            // the platform's rules run on every creation, the chart rendered by Helm in every environment
            List<Violation> violations = check(template, owner, rendering);
            if (!violations.isEmpty()) {
                throw new InvalidInputException(violations.stream()
                        .map(v -> new InvalidInputException.FieldError("policy: " + v.path(), v.message())).toList());
            }
            List<FileWrite> files = rendering.changeSet().files().stream()
                    .map(file -> new FileWrite(file.path(), file.content(), GitOpsLayout.sharedByTeam(file.path())
                            // a team's namespace bundles and projects come with its first service
                            ? FileWrite.Mode.CREATE_IF_ABSENT : FileWrite.Mode.CREATE))
                    .toList();
            // rendering and the policy check ran outside: the transaction only writes, and holds a connection briefly
            return transactions.execute(tx -> {
                // a name already taken fails the insert: 409, and the transaction leaves nothing behind
                Service service = catalog.registerService(owner, name, template.id(), template.version(),
                        normalize(description));
                ChangeRecord change = changes.enqueue(service.id(), "Create service " + owner.name() + "/" + name
                        + " from " + template.id() + " " + template.version(), user.username(), files);
                audit.record(user.username(), "service.created", "service/" + owner.name() + "/" + name, Map.of(
                        "change", change.id().toString(), "template", template.id() + " " + template.version(),
                        "service", service.id().toString()));
                return new Created(service, change);
            });
        }
    }

    /** The named team: 422 when none is named, 404 when it does not exist. */
    private Team owner(String team) {
        if (team == null || team.isBlank()) {
            throw InvalidInputException.of("team", "is required");
        }
        return catalog.team(team);
    }

    private static String normalize(String description) {
        return description == null ? "" : description.replace("\r\n", "\n");
    }

    private Rendering render(Template template, Team owner, String name, String description, JsonNode parameters) {
        try {
            return renderer.render(template, parameters, service(owner, name, description), teamSpec(owner),
                    environmentSpecs(), true);
        } catch (InvalidServiceException invalid) {
            throw new InvalidInputException(invalid.violations().stream()
                    .map(v -> new InvalidInputException.FieldError(v.path(), v.message())).toList());
        }
    }

    private static ServiceSpec service(Team owner, String name, String description) {
        return new ServiceSpec(owner.name(), name, normalize(description));
    }

    /** The namespace bundles and the chart's objects per environment, through the platform's policy. */
    private List<Violation> check(Template template, Team owner, Rendering rendering) {
        var violations = new ArrayList<Violation>();
        TeamSpec team = teamSpec(owner);
        Map<String, String> files = rendering.changeSet().asMap();
        for (Environment environment : environments.all()) {
            EnvironmentSpec spec = spec(environment);
            var objects = new ArrayList<JsonNode>(bundleObjects(files.get(NamespaceBundle.path(team, spec))));
            ObjectNode values = withPreviewImage(rendering.chartValues().get(environment.name()));
            try {
                objects.addAll(charts.render(template.chart(), values));
            } catch (ChartRenderer.InvalidChartValuesException refused) {
                violations.add(new Violation(environment.name() + ": chart " + template.chart(), refused.getMessage()));
            }
            policy.check(objects, spec.production()).forEach(v ->
                    violations.add(new Violation(environment.name() + ": " + v.path(), v.message())));
        }
        return violations;
    }

    /** A bundle's objects, parsed once per distinct bundle (every service of a team shares it). */
    private List<JsonNode> bundleObjects(String bundle) {
        if (parsedBundles.size() >= BUNDLES_KEPT) {
            parsedBundles.clear();
        }
        return parsedBundles.computeIfAbsent(bundle, Yaml::readAll);
    }

    /**
     * A new service has no image yet: its first push brings one. To check what the chart will make
     * of it, the preview stands in an image pinned by digest in the service's own repository.
     */
    private static ObjectNode withPreviewImage(ObjectNode values) {
        ObjectNode copy = values.deepCopy();
        ObjectNode image = copy.with("image");
        if (image.path("digest").asText("").isEmpty() && image.path("tag").asText("").isEmpty()) {
            image.put("digest", "sha256:" + "0".repeat(64));
        }
        return copy;
    }

    TeamSpec teamSpec(Team team) {
        return new TeamSpec(team.name(), team.entraGroupId() == null ? null : team.entraGroupId().toString(),
                quota(team.quotas().getOrDefault(QuotaTier.NONPROD, TeamQuota.DEFAULT_NONPROD)),
                quota(team.quotas().getOrDefault(QuotaTier.PROD, TeamQuota.DEFAULT_PROD)));
    }

    List<EnvironmentSpec> environmentSpecs() {
        return environments.all().stream().map(Scaffold::spec).toList();
    }

    private static EnvironmentSpec spec(Environment environment) {
        return new EnvironmentSpec(environment.name(), environment.cluster(), environment.tier() == Environment.Tier.PROD);
    }

    private static TeamSpec.Quota quota(TeamQuota quota) {
        return new TeamSpec.Quota(quota.requestsCpuMillis(), quota.requestsMemoryMib(), quota.limitsCpuMillis(),
                quota.limitsMemoryMib(), quota.maxPods());
    }

    private static NotFoundException unknownTemplate(String id) {
        return new NotFoundException("There is no template " + id + ". GET /api/v1/templates lists them.");
    }

}
