package dev.slipway.portal.api;

/** Something the caller named does not exist: 404 in the API, a "not found" message in the UI. */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
