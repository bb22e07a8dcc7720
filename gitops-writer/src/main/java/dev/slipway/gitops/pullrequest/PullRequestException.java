package dev.slipway.gitops.pullrequest;

/** The provider refused or failed: the message says why, for the change's "failed with reason". */
public class PullRequestException extends RuntimeException {

    private final boolean retryable;

    public PullRequestException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** Whether trying again later may succeed (the service was unreachable or overloaded). */
    public boolean retryable() {
        return retryable;
    }
}
