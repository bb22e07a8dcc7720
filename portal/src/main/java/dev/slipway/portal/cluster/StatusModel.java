package dev.slipway.portal.cluster;

import dev.slipway.portal.environment.Environment;
import dev.slipway.portal.environment.Environments;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * What runs in the clusters, per service and environment, held in memory (one model per replica,
 * fed by the clusters' informers) and announced to listeners when what a user sees changes. An
 * environment whose cluster is not watched, or not synced yet, is {@code unknown}: never healthy,
 * never failed.
 */
@Component
public class StatusModel {

    private final Map<EnvironmentStatus.Key, Observed> observed = new ConcurrentHashMap<>();
    private final Map<EnvironmentStatus.Key, EnvironmentStatus> statuses = new ConcurrentHashMap<>();
    private final Set<String> synced = ConcurrentHashMap.newKeySet();
    private final List<Consumer<EnvironmentStatus>> listeners = new CopyOnWriteArrayList<>();
    // views listen to one service's environments: an event reaches only the views that show it
    private final Map<String, List<Consumer<EnvironmentStatus>>> byService = new ConcurrentHashMap<>();
    private final Map<String, String> clusterOf = new HashMap<>();
    private final Clock clock;
    private final Duration driftGrace;

    StatusModel(Environments environments, Clock clock) {
        this(environments, clock, StatusProperties.defaults());
    }

    @Autowired
    StatusModel(Environments environments, Clock clock, StatusProperties properties) {
        this.clock = clock;
        this.driftGrace = properties.driftGrace();
        for (Environment environment : environments.all()) {
            clusterOf.put(environment.name(), environment.cluster());
        }
    }

    private final Set<String> sandboxes = ConcurrentHashMap.newKeySet();

    /** A cluster that exists only while Slipway runs (local mode's sandbox), as users should be told. */
    void sandbox(String cluster) {
        sandboxes.add(cluster);
    }

    /** How to name an environment's cluster to a user: {@code nonprod}, or {@code nonprod (sandbox cluster)}. */
    public String clusterOf(String environment) {
        String cluster = clusterOf.get(environment);
        if (cluster == null) {
            return "no cluster";
        }
        return sandboxes.contains(cluster) ? cluster + " (sandbox cluster)" : cluster;
    }

    /** The environments {@code slipway.environments} puts on a cluster. */
    java.util.Set<String> environmentsOn(String cluster) {
        var hosted = new java.util.TreeSet<String>();
        clusterOf.forEach((environment, host) -> {
            if (cluster.equals(host)) {
                hosted.add(environment);
            }
        });
        return hosted;
    }

    /** The status of a service's environment now. */
    public EnvironmentStatus status(EnvironmentStatus.Key key) {
        EnvironmentStatus status = statuses.get(key);
        if (status != null) {
            return status;
        }
        String cluster = clusterOf.get(key.environment());
        if (cluster != null && synced.contains(cluster)) {
            return Rollouts.derive(key, new Observed(), clock.instant());
        }
        Observed o = observed.get(key);
        EnvironmentStatus.GitImage git = null;
        if (o != null) {
            synchronized (o) {
                git = o.git;
            }
        }
        return EnvironmentStatus.unknown(key, clock.instant()).with(null, git, null);
    }

    /** Called with every status a user would see change, on the informers' threads: hand it on quickly. */
    public Runnable listen(Consumer<EnvironmentStatus> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Called with every change a user would see of one service's environments (a view of that service). */
    public Runnable listen(String team, String service, Consumer<EnvironmentStatus> listener) {
        String key = team + "/" + service;
        byService.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> byService.computeIfPresent(key, (k, list) -> {
            list.remove(listener);
            return list.isEmpty() ? null : list;
        });
    }

    void deployment(EnvironmentStatus.Key key, Workloads.DeploymentState deployment) {
        change(key, o -> o.deployment = deployment);
    }

    void deploymentGone(EnvironmentStatus.Key key) {
        change(key, o -> o.deployment = null);
    }

    void replicaSet(EnvironmentStatus.Key key, Workloads.ReplicaSetState replicaSet) {
        change(key, o -> o.replicaSets.put(Observed.name(replicaSet.namespace(), replicaSet.name()), replicaSet));
    }

    void replicaSetGone(EnvironmentStatus.Key key, String namespace, String name) {
        change(key, o -> o.replicaSets.remove(Observed.name(namespace, name)));
    }

    void cronJob(EnvironmentStatus.Key key, Workloads.CronJobState cronJob) {
        change(key, o -> o.cronJob = cronJob);
    }

    void cronJobGone(EnvironmentStatus.Key key) {
        change(key, o -> o.cronJob = null);
    }

    void job(EnvironmentStatus.Key key, Workloads.JobState job) {
        change(key, o -> o.jobs.put(Observed.name(job.namespace(), job.name()), job));
    }

    void jobGone(EnvironmentStatus.Key key, String namespace, String name) {
        change(key, o -> o.jobs.remove(Observed.name(namespace, name)));
    }

    /** What the branch asks this environment to run (null: nothing named). */
    void git(EnvironmentStatus.Key key, EnvironmentStatus.GitImage image) {
        Observed o = observed.get(key);
        if (o == null && image == null) {
            return;
        }
        change(key, x -> x.git = image);
    }

    /** What Argo CD says of the environment's Application (null: gone). */
    void argo(EnvironmentStatus.Key key, EnvironmentStatus.ArgoCd argo) {
        change(key, o -> o.argo = argo);
    }

    /** What Git names for every environment it names. */
    Map<EnvironmentStatus.Key, EnvironmentStatus.GitImage> git() {
        var images = new HashMap<EnvironmentStatus.Key, EnvironmentStatus.GitImage>();
        observed.forEach((key, o) -> {
            synchronized (o) {
                if (o.git != null) {
                    images.put(key, o.git);
                }
            }
        });
        return images;
    }

    /** Derives again what waits for the grace period, so that drift shows without another event. */
    void reevaluate() {
        observed.forEach((key, o) -> {
            boolean waiting;
            synchronized (o) {
                waiting = o.mismatchSince != null;
            }
            if (waiting) {
                change(key, unchanged -> { });
            }
        });
    }

    void pod(EnvironmentStatus.Key key, Workloads.PodState pod) {
        change(key, o -> o.pods.put(Observed.name(pod.namespace(), pod.name()), pod));
    }

    void podGone(EnvironmentStatus.Key key, String namespace, String name) {
        change(key, o -> o.pods.remove(Observed.name(namespace, name)));
    }

    /**
     * The cluster's informers have listed everything (again): what they did not list is not deployed,
     * and what was unknown while it was away is what they hold.
     */
    void synced(String cluster) {
        synced.add(cluster);
        observed.forEach((key, o) -> {
            if (cluster.equals(clusterOf.get(key.environment()))) {
                change(key, unchanged -> { });
            }
        });
        // the open views of environments the cluster holds nothing of: unknown until now, not deployed
        byService.forEach((service, views) -> clusterOf.forEach((environment, host) -> {
            String[] teamAndName = service.split("/", 2);
            var key = new EnvironmentStatus.Key(teamAndName[0], teamAndName[1], environment);
            if (cluster.equals(host) && !observed.containsKey(key)) {
                EnvironmentStatus now = status(key);
                views.forEach(view -> view.accept(now));
            }
        }));
    }

    boolean isSynced(String cluster) {
        return synced.contains(cluster);
    }

    /** The cluster cannot be reached: its environments are unknown until it is again. */
    void unreachable(String cluster) {
        synced.remove(cluster);
        statuses.replaceAll((key, status) -> cluster.equals(clusterOf.get(key.environment()))
                ? announce(EnvironmentStatus.unknown(key, clock.instant()).with(null, status.git(), null).after(status), status)
                : status);
    }

    private void change(EnvironmentStatus.Key key, Consumer<Observed> edit) {
        Observed o = observed.computeIfAbsent(key, k -> new Observed());
        EnvironmentStatus derived;
        boolean known;
        synchronized (o) {
            edit.accept(o);
            String cluster = clusterOf.get(key.environment());
            known = cluster != null && synced.contains(cluster);
            // what a cluster not synced (yet, or any more) told is not what runs there now
            derived = known ? Rollouts.derive(key, o, clock.instant(), driftGrace)
                    : EnvironmentStatus.unknown(key, clock.instant()).with(null, o.git, null);
        }
        if (known) {
            statuses.compute(key, (k, before) -> announce(derived.after(before), before));
        } else {
            // until its cluster's first list, an environment has no status of its own (the list's own
            // events are not announced one by one: synced() derives them all); one that was known stays
            // unknown, with what Git asks for
            statuses.computeIfPresent(key, (k, before) -> announce(derived.after(before), before));
        }
    }

    private EnvironmentStatus announce(EnvironmentStatus now, EnvironmentStatus before) {
        if (now.differsFrom(before)) {
            listeners.forEach(listener -> listener.accept(now));
            List<Consumer<EnvironmentStatus>> views = byService.get(now.key().team() + "/" + now.key().service());
            if (views != null) {
                views.forEach(view -> view.accept(now));
            }
        }
        return now;
    }
}
