package structura.testkit;

/** Dispatch consistency on the reference backend. */
class DispatchConsistencyTest extends DispatchConsistencySuite {}
