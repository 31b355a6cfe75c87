package io.myelin.client.journal;

/** The contract on {@link Journal#inMemory()}; the second handle is the same journal (there is no other process). */
class InMemoryJournalTest extends JournalContract {
    private Journal shared;

    @Override
    Journal open() {
        shared = Journal.inMemory();
        return shared;
    }

    @Override
    Journal openAnother() {
        return shared;
    }
}
