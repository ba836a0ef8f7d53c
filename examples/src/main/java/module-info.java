/**
 * An application that embeds Structura on the module path, as a user would: it requires the
 * library modules and no backend. Backends are services: whichever backend jars are on the module
 * path at run time are found, and the best available one is chosen, without a code change.
 */
module structura.examples {
  requires structura.api;
  requires structura.algorithms;
  requires structura.formats;
}
