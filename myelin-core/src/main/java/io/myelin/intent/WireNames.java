package io.myelin.intent;

import io.myelin.error.MyelinException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The wire spelling of the intent enums: the constant's name in lower case ({@code waiting_for: "human"}). */
final class WireNames {
    private WireNames() {}

    static String of(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The constant {@code text} spells, among {@code allowed}.
     *
     * @throws MyelinException 400 naming {@code field} and the values it accepts
     */
    @SafeVarargs
    static <E extends Enum<E>> E parse(String field, String text, E... allowed) {
        for (E e : allowed) {
            if (of(e).equals(text)) {
                return e;
            }
        }
        throw MyelinException.invalid(field, field + " must be one of "
                + Arrays.stream(allowed).map(WireNames::of).collect(Collectors.joining(", "))
                + (text == null ? "" : "; got \"" + text + "\""));
    }
}
