package dev.slipway.portal.api;

import java.time.Duration;

/** Slipway is doing as much of this as it takes at once: 429, and when to try again. */
public class OverloadedException extends RuntimeException {

    private final Duration retryAfter;

    public OverloadedException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
