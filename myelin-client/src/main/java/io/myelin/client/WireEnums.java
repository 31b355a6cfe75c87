package io.myelin.client;

/** Reading the wire's lower-case enum names, shared by the status and kind enums of the client's records. */
final class WireEnums {
    private WireEnums() {
    }

    /**
     * The constant of {@code values} whose lower-case name is {@code wire}, else {@code unknown} (also for
     * {@code null}): a newer server's values never fail a read.
     */
    static <E extends Enum<E>> E parse(E[] values, E unknown, String wire) {
        for (E e : values) {
            if (e != unknown && e.name().toLowerCase(java.util.Locale.ROOT).equals(wire)) {
                return e;
            }
        }
        return unknown;
    }
}
