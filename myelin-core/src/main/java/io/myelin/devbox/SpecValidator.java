package io.myelin.devbox;

import io.myelin.auth.AccessPolicy;
import io.myelin.auth.Action;
import io.myelin.auth.Caller;
import io.myelin.axon.AxonIndex;
import io.myelin.axon.AxonLimits;
import io.myelin.axon.Metadata;
import io.myelin.broker.BrokerProtocol;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.text.Utf8;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks a {@link DevboxSpec}'s values before anything is stored or started, naming the field at fault as the
 * client spelled it ({@code mounts[0].agent_binary}) and the limit: 400 for a value out of range or malformed, 422
 * for one this server cannot honour as configured (an agent or blueprint the operator did not define, commands,
 * environment variables or agent arguments the operator did not allow, an axon that does not exist), 403 for an
 * axon the caller may not use.
 *
 * <p><b>Operators, not clients, decide what runs.</b> A client names an agent; it never adds code to what runs.
 * Shell commands need {@code devboxes.allow-commands}; an environment variable needs its name allowed by
 * {@code devboxes.allowed-environment} or the blueprint's {@code allowed-environment} ({@code NODE_OPTIONS},
 * {@code LD_PRELOAD}, {@code PATH} would otherwise run a client's code inside the agent); a {@code launch_args}
 * entry needs to be one the operator listed for that agent ({@code agents.binaries.<name>.launch-args}). With
 * {@code devboxes.allow-commands} a client may run any command anyway, so then any variable (but {@code MYELIN_*})
 * and any argument is accepted.
 *
 * <p>The limits are fixed; README's limits table lists them. Threading: stateless, thread-safe.
 */
final class SpecValidator {
    static final int MAX_MOUNTS = 8;
    static final int MAX_VARIABLES = 128;
    static final int MAX_VARIABLE_NAME_CHARS = 256;
    static final int MAX_VARIABLE_VALUE_CHARS = 32_768;
    static final int MAX_ENVIRONMENT_CHARS = 262_144;
    static final int MAX_COMMANDS = 64;
    static final int MAX_COMMAND_CHARS = 16_384;
    static final int MAX_LAUNCH_ARGS = 64;
    static final int MAX_ARG_CHARS = 4096;
    static final int MAX_PATH_CHARS = 1024;
    static final long MAX_IDLE_SECONDS = 30L * 24 * 3600;
    /** Runloop's maximum for {@code keep_alive_time_seconds}: 48 hours. */
    static final long MAX_KEEP_ALIVE_SECONDS = 172_800;
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final DevboxOptions options;
    private final AxonLimits limits;
    private final AxonIndex axons;
    private final AccessPolicy policy;
    private final boolean brokers;

    /** @param brokers whether this server runs brokers at all */
    SpecValidator(DevboxOptions options, AxonLimits limits, AxonIndex axons, AccessPolicy policy, boolean brokers) {
        this.options = options;
        this.limits = limits;
        this.axons = axons;
        this.policy = policy;
        this.brokers = brokers;
    }

    /** @throws MyelinException naming the first field at fault (see the class comment) */
    void check(Caller caller, DevboxSpec spec) {
        if (spec.name() != null) {
            if (spec.name().length() > limits.maxNameChars()) {
                throw MyelinException.invalid("name", "name is " + spec.name().length()
                        + " characters; the limit is " + limits.maxNameChars() + " (limits.max-name-chars)");
            }
            Utf8.checkedLength(spec.name(), "name");
        }
        Metadata.check(spec.metadata(), limits, "metadata");
        Blueprint blueprint = blueprint(spec.blueprintName());
        environment(spec.environmentVariables(), blueprint);
        launchParameters(spec.launchParameters());
        mounts(caller, spec.mounts(), blueprint);
    }

    private Blueprint blueprint(String name) {
        if (name == null) {
            return null;
        }
        Blueprint b = options.blueprints().get(name);
        if (b == null) {
            throw unprocessable("blueprint_name", "no blueprint is named '" + name + "' on this server; the operator"
                    + " defines blueprints in its configuration (devboxes.blueprints); defined: "
                    + names(options.blueprints().keySet()));
        }
        return b;
    }

    private void environment(Map<String, String> vars, Blueprint blueprint) {
        if (vars.size() > MAX_VARIABLES) {
            throw MyelinException.invalid("environment_variables", "environment_variables has " + vars.size()
                    + " variables; the limit is " + MAX_VARIABLES);
        }
        long total = 0;
        for (Map.Entry<String, String> e : vars.entrySet()) {
            String name = e.getKey();
            String field = "environment_variables." + name;
            if (name.length() > MAX_VARIABLE_NAME_CHARS || !VARIABLE_NAME.matcher(name).matches()) {
                throw MyelinException.invalid("environment_variables", "environment variable names are 1.."
                        + MAX_VARIABLE_NAME_CHARS + " characters of A-Z, a-z, 0-9 and _, not starting with a digit;"
                        + " got '" + shorten(name) + "'");
            }
            if (name.toUpperCase(Locale.ROOT).startsWith(DevboxEnvironment.RESERVED_PREFIX)) {
                throw MyelinException.invalid(field, "environment variables starting with "
                        + DevboxEnvironment.RESERVED_PREFIX + " are Myelin's own");
            }
            allowedVariable(name, field, blueprint);
            String value = e.getValue();
            if (value == null) {
                throw MyelinException.invalid(field, "environment variable values must be strings, got null");
            }
            if (value.length() > MAX_VARIABLE_VALUE_CHARS) {
                throw MyelinException.invalid(field, "value is " + value.length() + " characters; the limit is "
                        + MAX_VARIABLE_VALUE_CHARS);
            }
            noNul(value, field);
            Utf8.checkedLength(value, field);
            total += name.length() + value.length();
        }
        if (total > MAX_ENVIRONMENT_CHARS) {
            throw MyelinException.invalid("environment_variables", "environment_variables hold " + total
                    + " characters in all; the limit is " + MAX_ENVIRONMENT_CHARS);
        }
    }

    private void allowedVariable(String name, String field, Blueprint blueprint) {
        if (options.allowCommands() || options.allowedEnvironment().allows(name)
                || (blueprint != null && blueprint.allowedEnvironment().allows(name))) {
            return;
        }
        String viaBlueprint = blueprint == null ? "" : "; blueprint '" + blueprint.name() + "' allows: "
                + blueprint.allowedEnvironment().describe();
        throw unprocessable(field, "this server does not let clients set the environment variable " + name
                + " (a variable such as NODE_OPTIONS or LD_PRELOAD runs code in the agent); its operator allows names"
                + " with the setting devboxes.allowed-environment (names or * globs, e.g. ANTHROPIC_API_KEY,OPENAI_*)"
                + " or a blueprint's allowed-environment; allowed: " + options.allowedEnvironment().describe()
                + viaBlueprint);
    }

    private void launchParameters(LaunchParameters lp) {
        commands(lp.launchCommands(), "launch_parameters.launch_commands");
        LifecycleConfiguration lc = lp.lifecycle();
        String at = "launch_parameters.lifecycle.";
        if (lc.afterIdle() != null) {
            long s = lc.afterIdle().idleTimeSeconds();
            if (s < 1 || s > MAX_IDLE_SECONDS) {
                throw MyelinException.invalid(at + "after_idle.idle_time_seconds", "idle_time_seconds must be 1.."
                        + MAX_IDLE_SECONDS + " (30 days), got " + s);
            }
        }
        commands(lc.lifecycleHooks().suspendCommands(), at + "lifecycle_hooks.suspend_commands");
        long deadline = lc.lifecycleHooks().suspendDeadlineMs();
        if (deadline < 1 || deadline > LifecycleConfiguration.LifecycleHooks.MAX_DEADLINE_MS) {
            throw MyelinException.invalid(at + "lifecycle_hooks.suspend_deadline_ms", "suspend_deadline_ms must be 1.."
                    + LifecycleConfiguration.LifecycleHooks.MAX_DEADLINE_MS + ", got " + deadline);
        }
        if (lc.resumeTriggers().http()) {
            throw unprocessable(at + "resume_triggers.http", "Myelin has no tunnels, so HTTP traffic cannot wake a"
                    + " devbox; leave resume_triggers.http unset or false");
        }
        if (lp.keepAliveTimeSeconds() != null) {
            long k = lp.keepAliveTimeSeconds();
            if (k < 1 || k > MAX_KEEP_ALIVE_SECONDS) {
                throw MyelinException.invalid("launch_parameters.keep_alive_time_seconds", "keep_alive_time_seconds must be 1.."
                        + MAX_KEEP_ALIVE_SECONDS + " (48 hours), got " + k);
            }
        }
        if (lp.architecture() != null && !lp.architecture().equals(machineArchitecture())) {
            throw unprocessable("launch_parameters.architecture", "this server runs devboxes on "
                    + machineArchitecture() + " only; got '" + lp.architecture() + "'");
        }
    }

    /** This machine's architecture in Runloop's words ({@code x86_64}, {@code arm64}), or the JVM's own name. */
    static String machineArchitecture() {
        String arch = System.getProperty("os.arch", "");
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }

    private void commands(List<String> commands, String field) {
        if (commands.isEmpty()) {
            return;
        }
        if (!options.allowCommands()) {
            throw unprocessable(field, "this server does not run shell commands sent by clients; its operator allows"
                    + " them with the setting devboxes.allow-commands: true (they run as the server's user: devboxes"
                    + " are not a sandbox)");
        }
        if (commands.size() > MAX_COMMANDS) {
            throw MyelinException.invalid(field, field + " has " + commands.size() + " commands; the limit is " + MAX_COMMANDS);
        }
        for (int i = 0; i < commands.size(); i++) {
            String c = commands.get(i);
            String f = field + "[" + i + "]";
            if (c == null || c.isBlank()) {
                throw MyelinException.invalid(f, "a command must not be empty");
            }
            if (c.length() > MAX_COMMAND_CHARS) {
                throw MyelinException.invalid(f, "command is " + c.length() + " characters; the limit is " + MAX_COMMAND_CHARS);
            }
            noNul(c, f);
            Utf8.checkedLength(c, f);
        }
    }

    private void mounts(Caller caller, List<BrokerMount> mounts, Blueprint blueprint) {
        if (mounts.size() > MAX_MOUNTS) {
            throw MyelinException.invalid("mounts", "mounts has " + mounts.size() + " entries; the limit is " + MAX_MOUNTS);
        }
        if (!mounts.isEmpty() && !brokers) {
            throw unprocessable("mounts", "this server was started without a broker, so it cannot mount agents");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < mounts.size(); i++) {
            BrokerMount m = mounts.get(i);
            String at = "mounts[" + i + "].";
            if (m.axonId() == null || axons.find(m.axonId()) == null) {
                throw unprocessable(at + "axon_id", m.axonId() == null ? "axon_id is required"
                        : "axon not found: " + shorten(m.axonId()));
            }
            if (!seen.add(m.axonId())) {
                throw unprocessable(at + "axon_id", "axon " + m.axonId() + " is mounted twice: one broker per axon"
                        + " relays its turns");
            }
            for (Action needed : List.of(Action.EVENT_PUBLISH, Action.EVENT_SUBSCRIBE)) {
                try {
                    policy.check(caller, needed, m.axonId());
                } catch (MyelinException e) {
                    throw new MyelinException(e.kind(), at + "axon_id", e.getMessage() + ": the agent would act on"
                            + " the axon for this key");
                }
            }
            if (m.protocol() != BrokerProtocol.ACP && m.protocol() != BrokerProtocol.CLAUDE_JSON) {
                throw unprocessable(at + "protocol", "Myelin's broker speaks acp and claude_json; "
                        + m.protocol().wireName() + " is not supported");
            }
            AgentBinary binary = agentBinary(m.agentBinary(), at + "agent_binary", blueprint);
            args(m.launchArgs(), at + "launch_args");
            allowedArgs(m.launchArgs(), at + "launch_args", binary);
            workingDirectory(m.workingDirectory(), at + "working_directory");
        }
    }

    private AgentBinary agentBinary(String name, String field, Blueprint blueprint) {
        if (name == null || name.isEmpty()) {
            throw MyelinException.invalid(field, "agent_binary is required: the name of an agent this server's"
                    + " operator configured (agents.binaries)");
        }
        if (!options.binaries().containsKey(name)) {
            throw unprocessable(field, "this server runs no agent named '" + shorten(name) + "': its operator names"
                    + " the agents devboxes may run in the setting agents.binaries (name: absolute path of the"
                    + " executable); configured: " + names(options.binaries().keySet()));
        }
        if (blueprint != null && !blueprint.allows(name)) {
            throw unprocessable(field, "blueprint '" + blueprint.name() + "' does not allow agent '" + name
                    + "'; it allows: " + names(blueprint.agentBinaries()));
        }
        return options.binaries().get(name);
    }

    private void allowedArgs(List<String> args, String field, AgentBinary binary) {
        if (options.allowCommands()) {
            return;
        }
        for (String a : args) {
            if (!binary.launchArgs().contains(a)) {
                throw unprocessable(field, "this server does not pass the argument '" + shorten(a) + "' to agent '"
                        + binary.name() + "': its operator lists the arguments clients may add in agents.binaries"
                        + " (e.g. " + binary.name() + ": {command: [" + String.join(", ", binary.command(List.of()))
                        + "], launch-args: [" + shorten(a) + "]}), or lets clients pass any with"
                        + " devboxes.allow-commands: true; allowed for "
                        + binary.name() + ": " + names(binary.launchArgs()));
            }
        }
    }

    private static void args(List<String> args, String field) {
        if (args.size() > MAX_LAUNCH_ARGS) {
            throw MyelinException.invalid(field, field + " has " + args.size() + " arguments; the limit is " + MAX_LAUNCH_ARGS);
        }
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String f = field + "[" + i + "]";
            if (a == null) {
                throw MyelinException.invalid(f, "launch arguments must be strings, got null");
            }
            if (a.length() > MAX_ARG_CHARS) {
                throw MyelinException.invalid(f, "argument is " + a.length() + " characters; the limit is " + MAX_ARG_CHARS);
            }
            noNul(a, f);
            Utf8.checkedLength(a, f);
        }
    }

    private static void workingDirectory(String dir, String field) {
        if (dir == null) {
            return;
        }
        if (dir.isEmpty() || dir.length() > MAX_PATH_CHARS) {
            throw MyelinException.invalid(field, "working_directory must be 1.." + MAX_PATH_CHARS + " characters, got "
                    + dir.length());
        }
        noNul(dir, field);
        Utf8.checkedLength(dir, field);
        Path p = Path.of(dir);
        if (p.isAbsolute()) {
            throw unprocessable(field, "working_directory must be relative to the devbox's workspace (its home"
                    + " directory); got the absolute path '" + shorten(dir) + "'");
        }
        for (Path part : p) {
            if (part.toString().equals("..")) {
                throw MyelinException.invalid(field, "working_directory must stay inside the workspace: no '..'");
            }
        }
    }

    private static void noNul(String s, String field) {
        int at = s.indexOf('\0');
        if (at >= 0) {
            throw MyelinException.invalid(field, "holds a NUL character at " + at + "; a process cannot receive one");
        }
    }

    private static MyelinException unprocessable(String field, String message) {
        return new MyelinException(ErrorKind.UNPROCESSABLE, field, field + ": " + message);
    }

    private static String names(Set<String> names) {
        return names == null || names.isEmpty() ? "none" : String.join(", ", new TreeSet<>(names));
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
