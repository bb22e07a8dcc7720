package dev.slipway.portal.cluster;

import dev.slipway.portal.environment.Environment;
import dev.slipway.portal.environment.Environments;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * What runs in the clusters, per service and environment, held in memory (one model per replica,
 * fed by the clusters' informers) and announced to listeners when what a user sees changes. An
 * environment whose cluster is not watched, or not synced yet, is {@code unknown}: never healthy,
 * never failed.
 */
@Component
public class StatusModel {

    /** What the informers told of one service's environment. */
    private static final class Observed {
        Workloads.DeploymentState deployment;
        final Map<String, Workloads.ReplicaSetState> replicaSets = new HashMap<>();
        final Map<String, Workloads.PodState> pods = new HashMap<>();
    }

    private final Map<EnvironmentStatus.Key, Observed> observed = new ConcurrentHashMap<>();
    private final Map<EnvironmentStatus.Key, EnvironmentStatus> statuses = new ConcurrentHashMap<>();
    private final Set<String> synced = ConcurrentHashMap.newKeySet();
    private final List<Consumer<EnvironmentStatus>> listeners = new CopyOnWriteArrayList<>();
    // views listen to one service's environments: an event reaches only the views that show it
    private final Map<String, List<Consumer<EnvironmentStatus>>> byService = new ConcurrentHashMap<>();
    private final Map<String, String> clusterOf = new HashMap<>();
    private final Clock clock;

    StatusModel(Environments environments, Clock clock) {
        this.clock = clock;
        for (Environment environment : environments.all()) {
            clusterOf.put(environment.name(), environment.cluster());
        }
    }

    /** The status of a service's environment now. */
    public EnvironmentStatus status(EnvironmentStatus.Key key) {
        EnvironmentStatus status = statuses.get(key);
        if (status != null) {
            return status;
        }
        String cluster = clusterOf.get(key.environment());
        return cluster != null && synced.contains(cluster)
                ? Rollouts.derive(key, null, List.of(), clock.instant())
                : EnvironmentStatus.unknown(key, clock.instant());
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
        change(key, o -> o.replicaSets.put(replicaSet.namespace() + "/" + replicaSet.name(), replicaSet));
    }

    void replicaSetGone(EnvironmentStatus.Key key, String namespace, String name) {
        change(key, o -> o.replicaSets.remove(namespace + "/" + name));
    }

    void pod(EnvironmentStatus.Key key, Workloads.PodState pod) {
        change(key, o -> o.pods.put(pod.namespace() + "/" + pod.name(), pod));
    }

    void podGone(EnvironmentStatus.Key key, String namespace, String name) {
        change(key, o -> o.pods.remove(namespace + "/" + name));
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
    }

    boolean isSynced(String cluster) {
        return synced.contains(cluster);
    }

    /** The cluster cannot be reached: its environments are unknown until it is again. */
    void unreachable(String cluster) {
        synced.remove(cluster);
        statuses.replaceAll((key, status) -> cluster.equals(clusterOf.get(key.environment()))
                ? announce(EnvironmentStatus.unknown(key, clock.instant()).after(status), status) : status);
    }

    private void change(EnvironmentStatus.Key key, Consumer<Observed> edit) {
        Observed o = observed.computeIfAbsent(key, k -> new Observed());
        EnvironmentStatus derived;
        synchronized (o) {
            edit.accept(o);
            derived = Rollouts.derive(key, o.deployment, List.copyOf(o.replicaSets.values()), List.copyOf(o.pods.values()),
                    clock.instant());
        }
        statuses.compute(key, (k, before) -> announce(derived.after(before), before));
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
