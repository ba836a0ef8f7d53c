/**
 * Test kit for Structura backends and operators: abstract JUnit 5 conformance suites per
 * routine family (extend one and supply your provider), the provider contract suite, the
 * operator zoo with its conformance and dispatch-consistency suites, and an oracle that
 * computes products in compensated double arithmetic independently of every backend.
 */
module structura.testkit {
  requires transitive structura.api;
  requires transitive org.junit.jupiter.api;
  requires transitive org.junit.jupiter.params;

  exports structura.testkit;

  opens structura.testkit to org.junit.platform.commons;
}
