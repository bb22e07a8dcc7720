package dev.slipway.portal.scaffold;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Keeps the JVM's own handlers for SIGTERM and SIGINT in place around Helm. helm-java's native
 * library (Go) calls {@code signal.Notify} for them while rendering, and from then on the Go
 * runtime takes those signals for itself: the JVM never hears of them, so no shutdown hook runs
 * and Kubernetes has to SIGKILL the pod at the end of its grace period
 * (https://github.com/manusa/helm-java/issues/409). The handlers found at start-up are installed
 * again after every render, which gives the signals back to the JVM (the Go runtime does not
 * install its handler a second time).
 */
final class HostSignals {

    private static final Logger log = LoggerFactory.getLogger(HostSignals.class);
    private static final String[] NAMES = {"TERM", "INT"};

    private final Map<Signal, SignalHandler> handlers = new LinkedHashMap<>();

    HostSignals() {
        for (String name : NAMES) {
            try {
                Signal signal = new Signal(name);
                // read the current handler without leaving the signal unhandled meanwhile
                var current = new AtomicReference<SignalHandler>();
                SignalHandler bridge = s -> {
                    SignalHandler handler = current.get();
                    if (handler != null && handler != SignalHandler.SIG_DFL && handler != SignalHandler.SIG_IGN) {
                        handler.handle(s);
                    }
                };
                current.set(Signal.handle(signal, bridge));
                Signal.handle(signal, current.get());
                handlers.put(signal, current.get());
            } catch (IllegalArgumentException reserved) {
                // the JVM keeps this signal to itself here (e.g. -Xrs): nothing to give back
                log.debug("leaving SIG{} alone: {}", name, reserved.getMessage());
            }
        }
    }

    /** Gives SIGTERM and SIGINT back to the JVM's handlers. */
    void restore() {
        handlers.forEach(Signal::handle);
    }
}
