package dev.slipway.portal.promotion;

import dev.slipway.portal.catalog.Service;
import dev.slipway.portal.cluster.EnvironmentStatus;
import dev.slipway.portal.cluster.StatusModel;
import dev.slipway.portal.environment.Environment;
import dev.slipway.portal.environment.Environments;
import dev.slipway.portal.registry.ScanGate;
import dev.slipway.portal.registry.ServiceImages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Whether an image may go to an environment now, with every reason it may not: the image is the
 * service's and not deleted; the environment's scan policy passes or is waived; the image has run
 * healthy in the environment before it for the soak time (what the clusters show, never a stale
 * Argo CD health; a rollback skips this, its image ran here before); and no other promotion to the
 * environment is between approved and deployed. Evaluated on request and again before the Git write.
 */
@Component
class PromotionGate {

    /** The verdict: the reasons (none: it passes) and what reviewers are shown of it. */
    record Verdict(List<Promotion.Reason> reasons, Promotion.Gate summary) {
        boolean passes() {
            return reasons.isEmpty();
        }
    }

    private final ScanGate scans;
    private final ServiceImages images;
    private final StatusModel status;
    private final Environments environments;
    private final PromotionProperties properties;
    private final JdbcClient jdbc;
    private final Clock clock;

    PromotionGate(ScanGate scans, ServiceImages images, StatusModel status, Environments environments,
                  PromotionProperties properties, JdbcClient jdbc, Clock clock) {
        this.scans = scans;
        this.images = images;
        this.status = status;
        this.environments = environments;
        this.properties = properties;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The environment before this one in {@code slipway.environments}, if any. */
    Environment previousOf(Environment environment) {
        List<Environment> all = environments.all();
        int at = all.indexOf(environment);
        return at > 0 ? all.get(at - 1) : null;
    }

    /**
     * @param promotion the promotion being evaluated (it does not count as another one on its way), or null
     */
    Verdict evaluate(Service service, Environment environment, String digest, boolean rollback, UUID promotion) {
        Instant now = clock.instant();
        var reasons = new ArrayList<Promotion.Reason>();
        var severities = new LinkedHashMap<String, Integer>();
        int waived = 0;
        var verdict = scans.evaluateForSlipway(service, digest, environment);
        if (verdict.isEmpty()) {
            reasons.add(new Promotion.Reason("unknown-image", service.team() + "/" + service.name()
                    + " has no image " + digest + ".", List.of()));
        } else {
            verdict.get().reasons().forEach(r -> reasons.add(new Promotion.Reason(r.rule(), r.message(), r.findings())));
            waived = verdict.get().waived().size();
            images.summaryForSlipway(service, digest).map(ServiceImages.ImageSummary::severities).ifPresent(counts ->
                    counts.forEach((severity, count) -> severities.put(severity, count.total())));
        }
        PromotionProperties.Rules rules = properties.rulesOf(environment);
        Environment previous = previousOf(environment);
        String previousState = null;
        if (previous != null) {
            EnvironmentStatus before = status.status(new EnvironmentStatus.Key(service.team(), service.name(), previous.name()));
            previousState = before.state().id();
            if (!rollback && rules.previousHealthy()) {
                soaked(before, previous, digest, rules.soak(), now).ifPresent(reasons::add);
            }
        }
        jdbc.sql("""
                        select id, tag, state from promotions
                        where service_id = ? and environment = ? and state in ('approved', 'committing', 'deploying')
                          and id is distinct from ?""")
                .params(service.id(), environment.name(), promotion)
                .query((rs, n) -> new Promotion.Reason("promotion-on-its-way", "Promotion " + rs.getString("id") + " ("
                        + rs.getString("tag") + ") to " + environment.name() + " is " + rs.getString("state")
                        + " and not yet deployed: this one waits until it is deployed or failed.", List.of()))
                .list().forEach(reasons::add);
        return new Verdict(List.copyOf(reasons), new Promotion.Gate(reasons.isEmpty(), now, Map.copyOf(severities),
                waived, previous == null ? null : previous.name(), previousState));
    }

    /** Why the image has not run healthy long enough in the environment before, if it has not. */
    private static java.util.Optional<Promotion.Reason> soaked(EnvironmentStatus before, Environment previous,
                                                             String digest, Duration soak, Instant now) {
        String rule = "previous-environment";
        if (before.state() != EnvironmentStatus.State.HEALTHY || !before.running().keySet().equals(Set.of(digest))) {
            String runs = before.running().isEmpty() ? "runs nothing" : "runs " + String.join(", ", before.running().keySet());
            return java.util.Optional.of(new Promotion.Reason(rule, previous.name() + " must run " + digest
                    + " healthy first; it is " + before.state().id() + " and " + runs
                    + ". Promote it to " + previous.name() + ", or wait for its rollout.", List.of()));
        }
        Duration ran = Duration.between(before.since(), now);
        if (ran.compareTo(soak) < 0) {
            return java.util.Optional.of(new Promotion.Reason("soak", previous.name() + " has run it healthy for "
                    + minutes(ran) + " of the " + minutes(soak) + " it must; it can go on at "
                    + before.since().plus(soak) + ".", List.of()));
        }
        return java.util.Optional.empty();
    }

    private static String minutes(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds < 120 ? seconds + " s" : seconds / 60 + " min";
    }
}
