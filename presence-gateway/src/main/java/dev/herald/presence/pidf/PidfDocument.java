package dev.herald.presence.pidf;

import java.util.List;

/**
 * A parsed PIDF document (RFC 3863), split the way composition needs it: tuples, RFC 4479 person
 * and device elements, top-level notes, and every other top-level element as an extension. Built by
 * {@link PidfParser}; immutable and safe to share between threads.
 */
public final class PidfDocument {
  /** RFC 3863 PIDF namespace. */
  public static final String PIDF_NS = "urn:ietf:params:xml:ns:pidf";

  /** RFC 4479 data model namespace (person, device). */
  public static final String DATA_MODEL_NS = "urn:ietf:params:xml:ns:pidf:data-model";

  /** RFC 4480 RPID namespace (activities and friends). */
  public static final String RPID_NS = "urn:ietf:params:xml:ns:pidf:rpid";

  private final String entity;
  private final List<PidfTuple> tuples;
  private final List<PidfElement> persons;
  private final List<PidfElement> devices;
  private final List<PidfElement> notes;
  private final List<PidfElement> extensions;
  private final PhoneState phoneState;

  PidfDocument(
      String entity,
      List<PidfTuple> tuples,
      List<PidfElement> persons,
      List<PidfElement> devices,
      List<PidfElement> notes,
      List<PidfElement> extensions,
      PhoneState phoneState) {
    this.entity = entity;
    this.tuples = List.copyOf(tuples);
    this.persons = List.copyOf(persons);
    this.devices = List.copyOf(devices);
    this.notes = List.copyOf(notes);
    this.extensions = List.copyOf(extensions);
    this.phoneState = phoneState;
  }

  /** The {@code entity} attribute as published (composition replaces it). */
  public String entity() {
    return entity;
  }

  /** Tuples in document order; ids are unique. */
  public List<PidfTuple> tuples() {
    return tuples;
  }

  /** RFC 4479 {@code dm:person} elements, in document order (normally at most one). */
  public List<PidfElement> persons() {
    return persons;
  }

  /** RFC 4479 {@code dm:device} elements, in document order. */
  public List<PidfElement> devices() {
    return devices;
  }

  /** Top-level PIDF {@code note} elements (RFC 3863 §4), in document order. */
  public List<PidfElement> notes() {
    return notes;
  }

  /** Every other top-level element (Cisco, RPID, unknown namespaces), in document order. */
  public List<PidfElement> extensions() {
    return extensions;
  }

  /** What the person element says about the phone ({@link PhoneState}); NONE when nothing. */
  public PhoneState phoneState() {
    return phoneState;
  }

  @Override
  public String toString() {
    return "PidfDocument[tuples="
        + tuples.size()
        + ", persons="
        + persons.size()
        + ", devices="
        + devices.size()
        + ", notes="
        + notes.size()
        + ", extensions="
        + extensions.size()
        + ']';
  }
}
