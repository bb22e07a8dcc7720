package dev.slipway.portal.api;

/** A request body larger than Slipway takes (413), refused before it is read. */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(String message) {
        super(message);
    }
}
