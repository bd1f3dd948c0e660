package dev.robustsynth.service.intake;

import java.util.Locale;

/** Where a request failed: the {@code error.stage} of results and the {@code rsynth.error.stage} header. */
public enum Stage {
    PARSE, VALIDATE, ROUTE, RUN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
