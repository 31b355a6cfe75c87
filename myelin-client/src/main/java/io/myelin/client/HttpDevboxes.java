package io.myelin.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** {@link Devboxes} over HTTP. Stateless apart from the shared transport, hence thread-safe. */
final class HttpDevboxes implements Devboxes {
    private static final int PAGE_SIZE = 100;

    private final Transport transport;

    HttpDevboxes(Transport transport) {
        this.transport = transport;
    }

    @Override
    public Devbox create(NewDevbox devbox) {
        return create(devbox, null);
    }

    @Override
    public Devbox create(NewDevbox devbox, String idempotencyKey) {
        Objects.requireNonNull(devbox, "devbox");
        return transport.write("POST", "/v1/devboxes", devbox, idempotencyKey, Devbox.class);
    }

    @Override
    public Devbox get(String devboxId) {
        return transport.get(path(devboxId), new Query(), Devbox.class);
    }

    @Override
    public Paged<Devbox> list() {
        return list(null);
    }

    @Override
    public Paged<Devbox> list(DevboxStatus status) {
        if (status == DevboxStatus.UNKNOWN) {
            throw new IllegalArgumentException("UNKNOWN is not a status to list by");
        }
        return new CursorPager<Devbox, String>(cursor -> {
            Query q = new Query().add("limit", PAGE_SIZE).add("starting_after", cursor)
                    .add("status", status == null ? null : status.wireName())
                    .add("include_total_count", false);
            WireTypes.DevboxList page = transport.get("/v1/devboxes", q, WireTypes.DevboxList.class);
            return new CursorPager.Page<>(page.devboxes(), page.hasMore());
        }, Devbox::id);
    }

    @Override
    public Devbox suspend(String devboxId) {
        return transport.write("POST", path(devboxId) + "/suspend", null, null, Devbox.class);
    }

    @Override
    public Devbox resume(String devboxId) {
        return transport.write("POST", path(devboxId) + "/resume", null, null, Devbox.class);
    }

    @Override
    public Devbox keepAlive(String devboxId) {
        return transport.write("POST", path(devboxId) + "/keep_alive", null, null, Devbox.class);
    }

    @Override
    public Devbox shutdown(String devboxId) {
        return transport.write("POST", path(devboxId) + "/shutdown", null, null, Devbox.class);
    }

    @Override
    public Devbox awaitStatus(String devboxId, Duration timeout, DevboxStatus... statuses) {
        if (statuses.length == 0) {
            throw new IllegalArgumentException("name at least one status to wait for");
        }
        List<String> names = new ArrayList<>();
        for (DevboxStatus s : statuses) {
            if (s == DevboxStatus.UNKNOWN) {
                throw new IllegalArgumentException("UNKNOWN is not a status to wait for");
            }
            names.add(s.wireName());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        WireTypes.WaitForStatus body = new WireTypes.WaitForStatus(names);
        while (true) {
            try {
                return transport.longPoll(path(devboxId) + "/wait_for_status", body, Devbox.class);
            } catch (MyelinApiException e) {
                if (e.status() != 408) {
                    throw e;
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                Devbox now = get(devboxId);
                throw new MyelinConnectionException("devbox " + devboxId + " is still " + now.status().wireName()
                        + " after " + timeout.toMillis() + " ms; waited for " + String.join(" or ", names), null);
            }
        }
    }

    static String path(String devboxId) {
        Objects.requireNonNull(devboxId, "devboxId");
        return "/v1/devboxes/" + Query.segment(devboxId);
    }
}
