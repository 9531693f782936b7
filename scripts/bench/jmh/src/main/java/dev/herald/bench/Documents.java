package dev.herald.bench;

/** The PIDF documents the benchmarks use: what a soft client typically publishes. */
final class Documents {
  private Documents() {}

  static String pidf(String entity, String tuple, String basic, String note) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\""
        + " xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\""
        + " xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\" entity=\""
        + entity
        + "\">\n"
        + "  <tuple id=\""
        + tuple
        + "\"><status><basic>"
        + basic
        + "</basic></status><note>"
        + note
        + "</note></tuple>\n"
        + "  <dm:person id=\"p-"
        + tuple
        + "\"><rpid:activities><rpid:meeting/></rpid:activities></dm:person>\n"
        + "</presence>\n";
  }
}
