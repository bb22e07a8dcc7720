package dev.slipway.gitops;

/** The remote could not be reached or answered with a passing failure: the change should wait and be tried again. */
public class GitOpsUnavailableException extends RuntimeException {
    public GitOpsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
