package dev.herald.presence.pidf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * Builds the one PIDF document a watcher of a presentity receives from that presentity's
 * publications (RFC 3903 event state composition, RFC 4479 data model).
 *
 * <p>Rules, publications being given oldest first:
 *
 * <ul>
 *   <li>Tuples: all of them; for an id published more than once the newest publication's tuple wins
 *       and stays where the id first appeared (oldest publication first, document order).
 *   <li>Person: one {@code dm:person} (RFC 4479: a presentity has one person). Its start tag (id
 *       and other attributes) is the newest published person's. Its children are the union of all
 *       published persons' children; for each qualified name (namespace + local name) only the
 *       newest publication that has it counts, with all its occurrences (several notes stay several
 *       notes). Groups stay where the name first appeared.
 *   <li>Devices: all, one per id (newest wins, first position kept).
 *   <li>Top-level notes: all, one per text and {@code xml:lang}.
 *   <li>Other top-level elements (RPID, Cisco, unknown): all, as published, identical ones once.
 * </ul>
 *
 * <p>Output order follows the RFC 3863 schema: tuples, notes, then person, devices and other
 * extensions. Every namespace binding an element inherited in its publication is declared, on the
 * root when no other binding took the prefix first, otherwise on the element itself; elements keep
 * their prefixes. The same input always gives the same string, so callers can compare composed
 * documents to decide whether to NOTIFY.
 */
public final class PidfComposer {
  /*
   * Design note. Nothing is parsed or transformed here: PidfParser stored each element as a
   * serialized fragment plus the bindings it inherited, so composing is choosing fragments and
   * appending strings, with namespace declarations spliced in right after an element's name
   * where the output's scope differs from the fragment's source scope.
   */

  private static final String XML_DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  private static final String CLOSED_TUPLE =
      "<tuple id=\"closed\"><status><basic>closed</basic></status></tuple>";
  private static final String REGISTERED_TUPLE =
      "<tuple id=\"registration\"><status><basic>open</basic></status></tuple>";

  private PidfComposer() {}

  /**
   * Composes the document for {@code entity} from its publications.
   *
   * @param entity the presentity address (e.g. {@code sip:alice@example.com}); replaces whatever
   *     entity the publications carried
   * @param publications the presentity's current publications, oldest first; none gives {@link
   *     #closed(String)}
   * @throws IllegalArgumentException if {@code entity} is empty or holds characters XML cannot
   */
  public static String compose(String entity, List<PidfDocument> publications) {
    return compose(entity, publications, (publication, child) -> true);
  }

  /**
   * As {@link #compose(String, List)}, leaving out each person child of a publication that {@code
   * keepPersonChild} refuses; the caller decides, for one, whose activities count.
   */
  public static String compose(
      String entity,
      List<PidfDocument> publications,
      BiPredicate<PidfDocument, PidfElement> keepPersonChild) {
    checkEntity(entity);
    Objects.requireNonNull(publications, "publications");
    if (publications.isEmpty()) {
      return closed(entity);
    }
    Map<String, PidfElement> tuples = new LinkedHashMap<>();
    Map<String, PidfElement> notes = new LinkedHashMap<>();
    Map<String, List<PidfElement>> personChildren = new LinkedHashMap<>();
    PidfElement person = null;
    Map<String, PidfElement> devices = new LinkedHashMap<>();
    Map<String, PidfElement> extensions = new LinkedHashMap<>();

    // LinkedHashMap.put on a present key keeps the key's position and replaces the value:
    // first position, newest content.
    for (PidfDocument publication : publications) {
      for (PidfTuple tuple : publication.tuples()) {
        tuples.put(tuple.id(), tuple.element);
      }
      for (PidfElement note : publication.notes()) {
        String lang = note.lang() == null ? "" : note.lang();
        notes.put(lang + '\u0000' + note.text(), note);
      }
      Map<String, List<PidfElement>> published = new LinkedHashMap<>();
      for (PidfElement p : publication.persons()) {
        person = p;
        for (PidfElement child : p.person.children) {
          if (!keepPersonChild.test(publication, child)) {
            continue;
          }
          published
              .computeIfAbsent(
                  child.namespaceUri() + '\u0000' + child.localName(), k -> new ArrayList<>(1))
              .add(child);
        }
      }
      personChildren.putAll(published);
      for (PidfElement device : publication.devices()) {
        devices.put(device.id().map(id -> "id\u0000" + id).orElseGet(device::toXml), device);
      }
      for (PidfElement extension : publication.extensions()) {
        extensions.put(extension.toXml(), extension);
      }
    }

    // The root declares pidf as default namespace, then the first binding seen for each prefix.
    Map<String, String> rootScope = new LinkedHashMap<>();
    rootScope.put("", PidfDocument.PIDF_NS);
    int size = 256 + entity.length();
    size += hoist(rootScope, tuples.values());
    size += hoist(rootScope, notes.values());
    if (person != null) {
      size += hoist(rootScope, List.of(person));
      for (List<PidfElement> group : personChildren.values()) {
        size += hoist(rootScope, group);
      }
    }
    size += hoist(rootScope, devices.values());
    size += hoist(rootScope, extensions.values());

    StringBuilder out = new StringBuilder(size);
    out.append(XML_DECLARATION).append("<presence");
    for (Map.Entry<String, String> binding : rootScope.entrySet()) {
      XmlWriter.declaration(out, binding.getKey(), binding.getValue());
    }
    out.append(" entity=\"");
    XmlWriter.attributeValue(out, entity);
    out.append("\">");
    appendAll(out, tuples.values(), rootScope);
    appendAll(out, notes.values(), rootScope);
    if (person != null) {
      appendPerson(out, person, personChildren, rootScope);
    }
    appendAll(out, devices.values(), rootScope);
    appendAll(out, extensions.values(), rootScope);
    return out.append("</presence>").toString();
  }

  /**
   * The document for a presentity with nothing published: one tuple, id {@code closed}, basic
   * status {@code closed} (RFC 3863 §4).
   *
   * @throws IllegalArgumentException if {@code entity} is empty or holds characters XML cannot
   */
  public static String closed(String entity) {
    return withOnlyTuple(entity, CLOSED_TUPLE);
  }

  /**
   * The document for a presentity with nothing published but a live registration, when registration
   * state counts as presence: one tuple, {@code <basic>open</basic>}.
   */
  public static String registered(String entity) {
    return withOnlyTuple(entity, REGISTERED_TUPLE);
  }

  private static String withOnlyTuple(String entity, String tuple) {
    checkEntity(entity);
    StringBuilder out = new StringBuilder(160 + entity.length());
    out.append(XML_DECLARATION)
        .append("<presence xmlns=\"")
        .append(PidfDocument.PIDF_NS)
        .append("\" entity=\"");
    XmlWriter.attributeValue(out, entity);
    return out.append("\">").append(tuple).append("</presence>").toString();
  }

  private static void checkEntity(String entity) {
    Objects.requireNonNull(entity, "entity");
    if (entity.isEmpty()) {
      throw new IllegalArgumentException("entity must not be empty");
    }
    if (!XmlWriter.isXmlText(entity)) {
      throw new IllegalArgumentException("entity holds a character not allowed in XML");
    }
  }

  /** Adds the prefixes {@code elements} inherited to the root if free; returns their size. */
  private static int hoist(Map<String, String> rootScope, Iterable<PidfElement> elements) {
    int size = 0;
    for (PidfElement e : elements) {
      String[] inherited = e.inherited;
      for (int i = 0; i < inherited.length; i += 2) {
        if (!inherited[i].isEmpty()) {
          rootScope.putIfAbsent(inherited[i], inherited[i + 1]);
        }
      }
      size += e.xml.length();
    }
    return size;
  }

  private static void appendAll(
      StringBuilder out, Iterable<PidfElement> elements, Map<String, String> scope) {
    for (PidfElement e : elements) {
      append(out, e.xml, e, scope, null);
    }
  }

  private static void appendPerson(
      StringBuilder out,
      PidfElement person,
      Map<String, List<PidfElement>> children,
      Map<String, String> rootScope) {
    Map<String, String> scope = new HashMap<>(rootScope);
    append(out, person.person.startTag, person, rootScope, scope);
    String[] own = person.person.declarations;
    for (int i = 0; i < own.length; i += 2) {
      scope.put(own[i], own[i + 1]);
    }
    for (List<PidfElement> group : children.values()) {
      appendAll(out, group, scope);
    }
    out.append(person.person.endTag);
  }

  /**
   * Appends {@code text} (the element, or for a person its start tag), declaring after the
   * element's name each inherited binding that {@code scope} does not already provide.
   *
   * @param declared if not null, receives the bindings declared here
   */
  private static void append(
      StringBuilder out,
      String text,
      PidfElement e,
      Map<String, String> scope,
      Map<String, String> declared) {
    out.append(text, 0, e.insertAt);
    String[] inherited = e.inherited;
    for (int i = 0; i < inherited.length; i += 2) {
      String prefix = inherited[i];
      String uri = inherited[i + 1];
      String bound = scope.get(prefix);
      if (bound == null && prefix.isEmpty()) {
        bound = ""; // no default namespace declared
      }
      if (!uri.equals(bound)) {
        XmlWriter.declaration(out, prefix, uri);
        if (declared != null) {
          declared.put(prefix, uri);
        }
      }
    }
    out.append(text, e.insertAt, text.length());
  }
}
