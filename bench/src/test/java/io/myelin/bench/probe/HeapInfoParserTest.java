package io.myelin.bench.probe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeapInfoParserTest {

    @Test
    void readsTheG1Summary() {
        String out = """
                4242:
                 garbage-first heap   total reserved 1048576K, committed 65536K, used 21504K [0x00000000c0000000, 0x0000000100000000)
                  region size 1024K, 3 young (3072K), 0 survivors (0K)
                 Metaspace       used 30123K, committed 30592K, reserved 1114112K
                  class space    used 3456K, committed 3712K, reserved 1048576K
                """;
        assertThat(HeapInfoParser.parse(out)).isEqualTo(new HeapInfoParser.Heap(21504, 65536));
    }

    @Test
    void readsZgcInMegabytes() {
        String out = "4242:\n ZHeap           used 26M, capacity 64M, max capacity 1024M\n Metaspace       used 900K, committed 1000K\n";
        assertThat(HeapInfoParser.parse(out)).isEqualTo(new HeapInfoParser.Heap(26 * 1024, 64 * 1024));
    }

    @Test
    void addsUpSerialGenerations() {
        String out = """
                4242:
                 def new generation   total 9792K, used 1000K [0x0, 0x1, 0x2)
                 tenured generation   total 21888K, used 3000K [0x0, 0x1, 0x2)
                 Metaspace       used 900K, committed 1000K, reserved 1114112K
                """;
        assertThat(HeapInfoParser.parse(out)).isEqualTo(new HeapInfoParser.Heap(4000, 31680));
    }

    @Test
    void unknownOutputGivesMinusOne() {
        assertThat(HeapInfoParser.parse("4242:\nsomething else\n")).isEqualTo(new HeapInfoParser.Heap(-1, -1));
    }
}
