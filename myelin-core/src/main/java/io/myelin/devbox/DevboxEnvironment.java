package io.myelin.devbox;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment every command and agent of a devbox runs with: a clean base (nothing is inherited from the
 * server's own environment, which may hold its secrets), then the devbox's {@code environment_variables}, which may
 * replace any base variable except {@code MYELIN_DEVBOX_ID}.
 *
 * <p>Base: {@code PATH} (the usual system directories), {@code HOME} (the workspace), {@code LANG=C.UTF-8},
 * {@code SHELL=/bin/sh}, {@code USER} and {@code LOGNAME} (the server's user) and {@code MYELIN_DEVBOX_ID}.
 */
final class DevboxEnvironment {
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** Variables a client may not set: the prefix of Myelin's own. */
    static final String RESERVED_PREFIX = "MYELIN_";

    private DevboxEnvironment() {}

    static Map<String, String> of(Workspace workspace, Map<String, String> variables) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", PATH);
        env.put("HOME", workspace.directory().toString());
        env.put("LANG", "C.UTF-8");
        env.put("SHELL", "/bin/sh");
        String user = System.getProperty("user.name");
        if (user != null) {
            env.put("USER", user);
            env.put("LOGNAME", user);
        }
        env.putAll(variables);
        env.put("MYELIN_DEVBOX_ID", workspace.devboxId());
        return Map.copyOf(env);
    }
}
