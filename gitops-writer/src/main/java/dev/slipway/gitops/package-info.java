/**
 * Applies a ChangeSet to a branch of a GitOps repository, as a commit or as a pull request, safely
 * under concurrent writers. Plain Java on JGit; the portal is its only caller.
 */
package dev.slipway.gitops;
