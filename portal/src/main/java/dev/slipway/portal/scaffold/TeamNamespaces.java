package dev.slipway.portal.scaffold;

import dev.slipway.gitops.FileWrite;
import dev.slipway.portal.audit.AuditLog;
import dev.slipway.portal.catalog.TeamChanged;
import dev.slipway.portal.gitops.ChangeRecord;
import dev.slipway.portal.gitops.Changes;
import dev.slipway.templates.EnvironmentSpec;
import dev.slipway.templates.NamespaceBundle;
import dev.slipway.templates.PlatformSettings;
import dev.slipway.templates.TeamProject;
import dev.slipway.templates.TeamSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A team's namespaces follow the team: when a platform admin changes its Entra ID group or quotas,
 * its namespace bundle in every environment and its Argo CD project on every cluster are rendered
 * again and written by one Change, stored in
 * the transaction of the edit (or neither is), with its audit entry. A team without services has no
 * bundles in Git yet: its first service brings them as they are then.
 */
@Component
class TeamNamespaces {

    private final Scaffold scaffold;
    private final PlatformSettings platform;
    private final Changes changes;
    private final AuditLog audit;

    TeamNamespaces(Scaffold scaffold, PlatformSettings platform, Changes changes, AuditLog audit) {
        this.scaffold = scaffold;
        this.platform = platform;
        this.changes = changes;
        this.audit = audit;
    }

    @EventListener
    void teamChanged(TeamChanged changed) {
        if (!changed.namespacesChange() || !changed.hasServices()) {
            return;
        }
        TeamSpec team = scaffold.teamSpec(changed.after());
        List<EnvironmentSpec> environments = scaffold.environmentSpecs();
        var files = new ArrayList<FileWrite>();
        for (EnvironmentSpec environment : environments) {
            var bundle = NamespaceBundle.file(team, environment, platform);
            files.add(new FileWrite(bundle.path(), bundle.content(), FileWrite.Mode.REPLACE));
        }
        // the project names the team's group too: who may see and sync its Applications in Argo CD
        environments.stream().map(EnvironmentSpec::cluster).distinct().forEach(cluster -> {
            var project = TeamProject.file(team, cluster, environments, platform);
            files.add(new FileWrite(project.path(), project.content(), FileWrite.Mode.REPLACE));
        });
        ChangeRecord change = changes.enqueue(null, "Update the namespaces and Argo CD projects of team " + team.name()
                + " (access and quotas)", changed.changedBy(), files);
        audit.record(changed.changedBy(), "team.namespaces-changed", "team/" + team.name(),
                Map.of("change", change.id().toString()));
    }
}
