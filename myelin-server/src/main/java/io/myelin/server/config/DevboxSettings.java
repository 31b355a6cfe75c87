package io.myelin.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.myelin.devbox.AgentBinary;
import io.myelin.devbox.Blueprint;
import io.myelin.devbox.EnvironmentNames;
import io.myelin.error.MyelinException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the structured devbox settings, {@code agents.binaries}, {@code devboxes.blueprints} and
 * {@code devboxes.allowed-environment}, from their text
 * (JSON, or YAML: a YAML file's mapping arrives as JSON, an environment variable or flag may be either). Every
 * mistake stops the server with a message naming the setting and the entry, so a typo never leaves an agent
 * silently unavailable.
 */
final class DevboxSettings {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Names clients use: short, printable, safe in messages and logs. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private DevboxSettings() {}

    /**
     * {@code agents.binaries}: name → absolute path of an executable file, or → a list of that path and fixed
     * arguments, or → {@code {command: <path or list>, launch-args: [...]}}, where {@code launch-args} lists the
     * arguments clients may give in a mount's {@code launch_args} (each exactly).
     */
    static Map<String, AgentBinary> binaries(String raw) {
        String key = "agents.binaries";
        JsonNode root = mapping(key, raw);
        Map<String, AgentBinary> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = key + "." + name(key, e.getKey());
            JsonNode commandNode = e.getValue();
            Set<String> launchArgs = Set.of();
            if (commandNode.isObject()) {
                JsonNode entry = commandNode;
                commandNode = null;
                for (Iterator<Map.Entry<String, JsonNode>> f = entry.fields(); f.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = f.next();
                    switch (field.getKey().replace('_', '-')) {
                        case "command" -> commandNode = field.getValue();
                        case "launch-args" -> launchArgs = new LinkedHashSet<>(strings(key, at + ".launch-args",
                                field.getValue(), "a list of the arguments clients may give in launch_args"));
                        default -> throw MyelinException.invalid(key, at + " has an unknown entry '" + field.getKey()
                                + "'; an agent has command and launch-args");
                    }
                }
                if (commandNode == null) {
                    throw MyelinException.invalid(key, at + " has no command: the path of its executable, or a list"
                            + " of it and fixed arguments");
                }
            }
            List<String> command = commandNode.isTextual() ? List.of(commandNode.textValue())
                    : strings(key, at, commandNode, "the path of an executable, or a list of it and fixed arguments,"
                            + " or a mapping with command and launch-args");
            if (command.isEmpty()) {
                throw MyelinException.invalid(key, at + " is an empty list: its first entry must be the executable");
            }
            Path exe;
            try {
                exe = Path.of(command.get(0));
            } catch (InvalidPathException bad) {
                throw MyelinException.invalid(key, at + ": '" + command.get(0) + "' is not a path: " + bad.getMessage());
            }
            if (!exe.isAbsolute()) {
                throw MyelinException.invalid(key, at + ": the executable must be an absolute path, got '" + exe + "'");
            }
            if (!Files.isRegularFile(exe) || !Files.isExecutable(exe)) {
                throw MyelinException.invalid(key, at + ": " + exe + " is not an executable file on this machine"
                        + (Files.isRegularFile(exe) ? " (a script run by an interpreter is given as a list of the"
                        + " interpreter and the script, e.g. [/usr/bin/node, " + exe + "])" : ""));
            }
            out.put(e.getKey(), new AgentBinary(e.getKey(), exe, command.subList(1, command.size()), launchArgs));
        }
        return out;
    }

    /**
     * {@code devboxes.allowed-environment}: names or {@code *} globs, separated by commas (a YAML list arrives so).
     */
    static EnvironmentNames allowedEnvironment(String raw) {
        String key = "devboxes.allowed-environment";
        List<String> entries = new ArrayList<>();
        for (String part : (raw == null ? "" : raw).split(",")) {
            if (!part.isBlank()) {
                entries.add(part.strip());
            }
        }
        return environmentNames(key, key, entries);
    }

    /**
     * {@code devboxes.blueprints}: name → {@code {setup-commands: [...], agent-binaries: [...],
     * allowed-environment: [...]}}, all optional; {@code agent-binaries} must name configured agents.
     */
    static Map<String, Blueprint> blueprints(String raw, Map<String, AgentBinary> binaries) {
        String key = "devboxes.blueprints";
        JsonNode root = mapping(key, raw);
        Map<String, Blueprint> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = key + "." + name(key, e.getKey());
            JsonNode b = e.getValue();
            if (b.isNull()) {
                out.put(e.getKey(), new Blueprint(e.getKey(), List.of(), null));
                continue;
            }
            if (!b.isObject()) {
                throw MyelinException.invalid(key, at + " must be a mapping with setup-commands, agent-binaries and"
                        + " allowed-environment");
            }
            List<String> setup = List.of();
            Set<String> agents = null;
            EnvironmentNames environment = EnvironmentNames.NONE;
            for (Iterator<Map.Entry<String, JsonNode>> f = b.fields(); f.hasNext(); ) {
                Map.Entry<String, JsonNode> field = f.next();
                switch (field.getKey().replace('_', '-')) {
                    case "setup-commands" -> setup = strings(key, at + ".setup-commands", field.getValue(), "a list of shell commands");
                    case "agent-binaries" -> {
                        agents = new LinkedHashSet<>(strings(key, at + ".agent-binaries", field.getValue(),
                                "a list of names from agents.binaries"));
                        for (String a : agents) {
                            if (!binaries.containsKey(a)) {
                                throw MyelinException.invalid(key, at + ".agent-binaries names '" + a
                                        + "', which agents.binaries does not define");
                            }
                        }
                    }
                    case "allowed-environment" -> environment = environmentNames(key, at + ".allowed-environment",
                            strings(key, at + ".allowed-environment", field.getValue(),
                                    "a list of environment variable names or * globs"));
                    default -> throw MyelinException.invalid(key, at + " has an unknown entry '" + field.getKey()
                            + "'; a blueprint has setup-commands, agent-binaries and allowed-environment");
                }
            }
            out.put(e.getKey(), new Blueprint(e.getKey(), setup, agents, environment));
        }
        return out;
    }

    private static EnvironmentNames environmentNames(String key, String at, List<String> entries) {
        try {
            return new EnvironmentNames(entries);
        } catch (IllegalArgumentException bad) {
            throw MyelinException.invalid(key, at + ": " + bad.getMessage());
        }
    }

    private static JsonNode mapping(String key, String raw) {
        if (raw == null || raw.isBlank()) {
            return YAML.createObjectNode();
        }
        JsonNode root;
        try {
            root = YAML.readTree(raw);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw MyelinException.invalid(key, key + " is not a valid mapping (JSON or YAML): " + e.getOriginalMessage());
        } catch (IOException e) {
            throw MyelinException.invalid(key, key + " cannot be read: " + e.getMessage());
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return YAML.createObjectNode();
        }
        if (!root.isObject()) {
            throw MyelinException.invalid(key, key + " must be a mapping of names, got "
                    + root.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return root;
    }

    private static String name(String key, String name) {
        if (!NAME.matcher(name).matches()) {
            throw MyelinException.invalid(key, key + " has the name '" + name + "'; names are 1..64 characters of"
                    + " letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
        return name;
    }

    /** A list of strings at {@code at} within the setting {@code key}; null or absent is empty. */
    private static List<String> strings(String key, String at, JsonNode node, String what) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw MyelinException.invalid(key, at + " must be " + what);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : node) {
            if (!n.isTextual()) {
                throw MyelinException.invalid(key, at + " must be " + what + "; it holds a "
                        + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            out.add(n.textValue());
        }
        return out;
    }
}
