package dev.slipway.gitops.pullrequest;

/** The provider refused or failed: the message says why, for the change's "failed with reason". */
public class PullRequestException extends RuntimeException {

    private final boolean retryable;
    private final java.time.Instant retryAfter;

    public PullRequestException(String message, boolean retryable, Throwable cause) {
        this(message, retryable, null, cause);
    }

    /** @param retryAfter when the provider said to come back (its rate limit), or null */
    public PullRequestException(String message, boolean retryable, java.time.Instant retryAfter, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    /** When the provider said it will take requests again, if it said so. */
    public java.util.Optional<java.time.Instant> retryAfter() {
        return java.util.Optional.ofNullable(retryAfter);
    }

    /** Whether trying again later may succeed (the service was unreachable or overloaded). */
    public boolean retryable() {
        return retryable;
    }
}
