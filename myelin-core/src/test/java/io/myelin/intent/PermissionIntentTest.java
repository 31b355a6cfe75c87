package io.myelin.intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.error.MyelinException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How a permission intent's resolution names the option the agent is answered with. */
@Timeout(10)
class PermissionIntentTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Intent permission(String options) throws Exception {
        JsonNode payload = JSON.readTree("{\"tool_call\":{\"title\":\"rm -rf build\"},\"options\":" + options + "}");
        return new Intent("int_p", "axn_p", PermissionIntent.KIND, WaitingFor.HUMAN, IntentStatus.WAITING, null,
                payload, null, null, null, null, null, OnDeadline.EXPIRE, null, 0, 1, 1, null, null);
    }

    static final String ACP = "[{\"optionId\":\"yes-once\",\"name\":\"Allow\",\"kind\":\"allow_once\"},"
            + "{\"optionId\":\"yes-always\",\"name\":\"Always\",\"kind\":\"allow_always\"},"
            + "{\"optionId\":\"no\",\"name\":\"Reject\",\"kind\":\"reject_once\"}]";

    @Test
    void approveAndRejectWithoutAnOptionPickTheFirstOfTheirKind() throws Exception {
        Intent acp = permission(ACP);
        assertThat(PermissionIntent.withDefaultOption(acp, Outcome.APPROVED, null).get("option_id").asText())
                .isEqualTo("yes-once");
        assertThat(PermissionIntent.withDefaultOption(acp, Outcome.REJECTED, JSON.readTree("{\"note\":\"no\"}")))
                .isEqualTo(JSON.readTree("{\"note\":\"no\",\"option_id\":\"no\"}"));
        Intent claude = permission("[{\"optionId\":\"allow\",\"name\":\"Allow\"},{\"optionId\":\"deny\",\"name\":\"Deny\"}]");
        assertThat(PermissionIntent.withDefaultOption(claude, Outcome.REJECTED, null).get("option_id").asText())
                .isEqualTo("deny");
        // Completed says nothing about which way: it must name one.
        assertThat(PermissionIntent.withDefaultOption(acp, Outcome.COMPLETED, null)).isNull();
        assertThatThrownBy(() -> PermissionIntent.checkResolution(acp, Outcome.COMPLETED, null))
                .isInstanceOf(MyelinException.class).hasMessageContaining("[yes-once, yes-always, no]");
    }

    @Test
    void aChosenOptionIsKeptInEitherSpelling() throws Exception {
        Intent acp = permission(ACP);
        JsonNode chosen = JSON.readTree("{\"optionId\":\"yes-always\"}");
        assertThat(PermissionIntent.withDefaultOption(acp, Outcome.APPROVED, chosen)).isEqualTo(chosen);
        PermissionIntent.checkResolution(acp, Outcome.APPROVED, chosen);
        assertThatThrownBy(() -> PermissionIntent.checkResolution(acp, Outcome.APPROVED,
                JSON.readTree("{\"option_id\":\"maybe\"}"))).hasMessageContaining("\"maybe\" is not one of");
    }
}
