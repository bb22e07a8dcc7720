package dev.slipway.portal.api;

/** The request clashes with what exists (a duplicate name, a state that moved on): 409. */
public class ConflictException extends RuntimeException {
    public ConflictException(String message) {
        super(message);
    }
}
