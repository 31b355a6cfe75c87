package io.myelin.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.myelin.devbox.AgentBinary;
import io.myelin.devbox.Blueprint;
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
 * Reads the two structured devbox settings, {@code agents.binaries} and {@code devboxes.blueprints}, from their text
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
     * arguments.
     */
    static Map<String, AgentBinary> binaries(String raw) {
        String key = "agents.binaries";
        JsonNode root = mapping(key, raw);
        Map<String, AgentBinary> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = key + "." + name(key, e.getKey());
            List<String> command = e.getValue().isTextual() ? List.of(e.getValue().textValue())
                    : strings(key, at, e.getValue(), "the path of an executable, or a list of it and fixed arguments");
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
                throw MyelinException.invalid(key, at + ": " + exe + " is not an executable file on this machine");
            }
            out.put(e.getKey(), new AgentBinary(e.getKey(), exe, command.subList(1, command.size())));
        }
        return out;
    }

    /**
     * {@code devboxes.blueprints}: name → {@code {setup-commands: [...], agent-binaries: [...]}}, both optional;
     * {@code agent-binaries} must name configured agents.
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
                throw MyelinException.invalid(key, at + " must be a mapping with setup-commands and agent-binaries");
            }
            List<String> setup = List.of();
            Set<String> agents = null;
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
                    default -> throw MyelinException.invalid(key, at + " has an unknown entry '" + field.getKey()
                            + "'; a blueprint has setup-commands and agent-binaries");
                }
            }
            out.put(e.getKey(), new Blueprint(e.getKey(), setup, agents));
        }
        return out;
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
