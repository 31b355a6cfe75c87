package io.myelin.bench.list;

import io.myelin.bench.http.Endpoint;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ListVariantTest {

    @Test
    void firstPageAsksForTheTotalByDefault() {
        assertThat(new ListVariant(100, true, null, 0).path(null)).isEqualTo("/v1/axons?limit=100");
    }

    @Test
    void laterPagesCarryFilterCursorAndCountSwitchEncoded() {
        ListVariant v = new ListVariant(1000, false, new ListVariant.Filter("1%", "shard", "run-1 7"), 1);
        assertThat(v.path("axn_9"))
                .isEqualTo("/v1/axons?limit=1000&include_total_count=false&metadata%5Bshard%5D=run-1+7&starting_after=axn_9");
    }

    @Test
    void variantsCoverEachLimitFilterAndCountSwitch() {
        ListWorkload.Settings s = new ListWorkload.Settings(Endpoint.of("http://127.0.0.1:1", null), 1_050, 1, List.of(100, 1000));
        List<ListVariant> variants = ListWorkload.variants(s, "t");
        assertThat(variants).hasSize(12);
        assertThat(variants).filteredOn(v -> v.filter() != null && v.filter().key().equals("shard"))
                .allSatisfy(v -> assertThat(v.expected()).as("shard 7 of ids 0..1049").isEqualTo(11));
        assertThat(variants).filteredOn(v -> v.filter() == null).allSatisfy(v -> assertThat(v.expected()).isEqualTo(1_050));
    }
}
