package io.myelin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ApiKeysTest {
    @Test
    void generatedKeysCarry160RandomBitsAndPassTheConfiguredKeyRule() {
        Set<String> keys = new HashSet<>();
        int[] seen = new int[128];
        for (int i = 0; i < 1000; i++) {
            String key = ApiKeys.generate();
            // myl_ + 32 characters of a 32-letter alphabet: 32 * 5 = 160 bits
            assertThat(key).matches("myl_[a-z2-7]{32}");
            ApiKeys.checkAdminKey(key);
            keys.add(key);
            key.substring(4).chars().forEach(c -> seen[c]++);
        }
        assertThat(keys).hasSize(1000);
        // Every letter of the alphabet turns up, none far more often than the others (32,000 draws, ~1,000 each).
        for (char c : "abcdefghijklmnopqrstuvwxyz234567".toCharArray()) {
            assertThat(seen[c]).as("count of %s", c).isBetween(700, 1300);
        }
    }
}
