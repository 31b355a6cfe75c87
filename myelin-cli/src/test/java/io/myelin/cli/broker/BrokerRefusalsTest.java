package io.myelin.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.broker.AgentStartException;
import io.myelin.broker.BrokerProtocol;
import io.myelin.broker.MountedBroker;
import io.myelin.cli.Main;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** What a broker refuses, and how it says so: on the axon, to its supervisor, on the command line. */
@Timeout(120)
class BrokerRefusalsTest {
    @RegisterExtension
    static final LocalBrokers brokers = new LocalBrokers();

    @Test
    void anAgentThatCannotStartIsABrokerErrorOnTheAxon() throws Exception {
        String axon = brokers.newAxon("no-binary");
        assertThatThrownBy(() -> brokers.mount(axon, BrokerProtocol.ACP, List.of("/nonexistent/agent", "acp")))
                .isInstanceOf(AgentStartException.class).hasMessageContaining("/nonexistent/agent");
        try (AxonTail tail = new AxonTail(brokers.client, axon)) {
            JsonNode error = AxonTail.json(tail.nextSystem("broker.error"));
            assertThat(error.path("message").asText()).contains("/nonexistent/agent").contains("does not exist");
        }
        try (MountedBroker again = brokers.mount(axon, BrokerProtocol.ACP, TestAgents.acpExample())) {
            assertThat(again).as("the failed mount left the axon free").isNotNull();
        }
    }

    @Test
    void oneBrokerPerAxonOnAServer() throws Exception {
        String axon = brokers.newAxon("one-broker");
        try (MountedBroker first = brokers.mount(axon, BrokerProtocol.ACP, TestAgents.acpExample())) {
            assertThatThrownBy(() -> brokers.mount(axon, BrokerProtocol.ACP, TestAgents.acpExample()))
                    .isInstanceOfSatisfying(MyelinException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
                        assertThat(e.field()).isEqualTo("axon_id");
                    });
        }
        try (MountedBroker next = brokers.mount(axon, BrokerProtocol.ACP, TestAgents.acpExample())) {
            assertThat(next).isNotNull();
        }
        assertThatThrownBy(() -> brokers.mount("axn_doesnotexist", BrokerProtocol.ACP, TestAgents.acpExample()))
                .isInstanceOfSatisfying(MyelinException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> brokers.mount(axon, BrokerProtocol.CODEX_JSON, TestAgents.acpExample()))
                .isInstanceOfSatisfying(MyelinException.class,
                e -> assertThat(e.field()).isEqualTo("protocol"));
    }

    @Test
    void aPromptThatIsNotJsonFailsItsTurnAndTheNextOneRuns() throws Exception {
        String axon = brokers.newAxon("bad-prompt");
        try (MountedBroker broker = brokers.mount(axon, BrokerProtocol.ACP, TestAgents.acpExample());
             AxonTail tail = new AxonTail(brokers.client, axon)) {
            tail.user("session/prompt", "this is not JSON");
            tail.nextSystem("turn.started");
            assertThat(AxonTail.json(tail.nextSystem("turn.failed")).path("error").asText()).contains("not a JSON object");
            tail.user("session/new", "[1, 2]");
            assertThat(AxonTail.json(tail.nextAgent("session/new")).path("code").asInt()).isEqualTo(-32602);
            tail.user("message", Map.of("text", "fine"));
            tail.nextSystem("turn.started");
            tail.nextAgent("session/request_permission");
            tail.user("session/request_permission", Map.of("outcome", Map.of("outcome", "cancelled")));
            assertThat(AxonTail.json(tail.nextSystem("turn.completed")).path("stop_reason").asText()).isEqualTo("end_turn");
        }
    }

    @Test
    void theCommandLineRefusesWhatItCannotRun() {
        assertThat(cli("broker", "--axon", "axn_x", "--protocol", "codex_json", "--", "node")).contains("exit 2")
                .contains("not supported");
        assertThat(cli("broker", "--axon", "axn_x", "--protocol", "nope", "--", "node")).contains("exit 2")
                .contains("protocol must be acp or claude_json");
        assertThat(cli("broker", "--axon", "axn_x", "--protocol", "acp")).contains("exit 2").contains("COMMAND");
        assertThat(cli("broker", "--axon", "axn_x", "--protocol", "acp", "--cancel-timeout", "soon", "--", "node"))
                .contains("exit 2").contains("--cancel-timeout: ").contains("'soon'");
        assertThat(cli("broker", "--axon", "axn_x", "--protocol", "acp", "--stop-timeout", "0s", "--", "node"))
                .contains("exit 2").contains("--stop-timeout: a duration must be positive");
        String missing = cli("broker", "--server", brokers.server.uri().toString(), "--api-key", LocalBrokers.KEY,
                "--axon", "axn_doesnotexist", "--protocol", "acp", "--", TestAgents.node(), "-e", "0");
        assertThat(missing).contains("exit 3").contains("axn_doesnotexist");
    }

    private static String cli(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setErr(new PrintWriter(err, true));
        cmd.setOut(new PrintWriter(new StringWriter(), true));
        int exit = cmd.execute(args);
        return "exit " + exit + ": " + err;
    }
}
