package dev.slipway.portal.catalog;

/**
 * A platform admin changed a team (its Entra ID group, quotas or display name): published inside
 * the transaction that stored it, so that what follows from it is stored with it or not at all.
 *
 * @param hasServices whether the team has services, and so namespace bundles in the GitOps repository
 */
public record TeamChanged(Team before, Team after, String changedBy, boolean hasServices) {

    /** Whether the namespaces in the clusters must change: who may use them, or their quotas. */
    public boolean namespacesChange() {
        return !java.util.Objects.equals(before.entraGroupId(), after.entraGroupId())
                || !before.quotas().equals(after.quotas());
    }
}
