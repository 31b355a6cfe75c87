package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.server.config.Setting;
import io.myelin.server.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** README's configuration table must list every setting with its environment variable and default. */
class DocsTest {
    @Test
    void readmeDocumentsEverySetting() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (Setting s : Settings.ALL) {
            String row = "| `" + s.key() + "` | `" + s.envName() + "` | ";
            assertThat(readme).as("README row for " + s.key()).contains(row);
            int at = readme.indexOf(row) + row.length();
            String dflt = readme.substring(at, readme.indexOf(" |", at));
            assertThat(dflt).as("default of " + s.key()).isEqualTo(s.defaultValue().isEmpty() ? "—" : "`" + s.defaultValue() + "`");
        }
    }
}
