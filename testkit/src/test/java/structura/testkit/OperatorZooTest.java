package structura.testkit;

/** The operator zoo on the reference backend. */
class OperatorZooTest extends OperatorConformanceSuite {}
