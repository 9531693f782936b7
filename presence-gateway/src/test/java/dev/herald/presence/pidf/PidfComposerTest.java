package dev.herald.presence.pidf;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Composition of one presentity's publications (RFC 3903, RFC 4479 person/device, RFC 4480). */
class PidfComposerTest {
  private static final String ALICE = "sip:alice@example.com";
  private final PidfParser parser = new PidfParser(1 << 20, 64);

  @Test
  void onePublicationRoundTrips() throws PidfException {
    PidfDocument published = parser.parse(PidfParserTest.resource("cisco-busy.xml"));

    PidfDocument composed = reparse(PidfComposer.compose(ALICE, List.of(published)));

    assertEquals(ALICE, composed.entity());
    assertEquals(xml(published.tuples()), xml(composed.tuples()));
    assertEquals(Optional.of("closed"), composed.tuples().get(0).basic());
    assertEquals(elements(published.persons()), elements(composed.persons()));
    assertEquals(elements(published.devices()), elements(composed.devices()));
    assertEquals(elements(published.notes()), elements(composed.notes()));
    assertEquals(List.of(), composed.extensions());
  }

  @Test
  void ciscoOutputDeclaresEachNamespaceOnce() throws PidfException {
    String out =
        PidfComposer.compose(
            ALICE, List.of(parser.parse(PidfParserTest.resource("cisco-busy.xml"))));

    assertEquals(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\""
            + " xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\""
            + " xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\""
            + " xmlns:ce=\"urn:cisco:params:xml:ns:pidf:rpid\""
            + " entity=\"sip:alice@example.com\">"
            + "<tuple id=\"cisco-1001\"><status><basic>closed</basic></status>"
            + "<contact priority=\"0.8\">sip:1001@10.0.0.21</contact>"
            + "<timestamp>2024-05-01T10:00:00Z</timestamp></tuple>"
            + "<note xml:lang=\"en\">On a call</note>"
            + "<dm:person id=\"p1001\">"
            + "<rpid:activities><rpid:on-the-phone/></rpid:activities><ce:alerting/>"
            + "</dm:person>"
            + "<dm:device id=\"dev-sep001122334455\">"
            + "<dm:deviceID>urn:uuid:00000000-0000-0000-0000-001122334455</dm:deviceID>"
            + "</dm:device>"
            + "</presence>",
        out);
  }

  @Test
  void composingComposedOutputChangesNothing() throws PidfException {
    String once =
        PidfComposer.compose(
            ALICE,
            List.of(
                parser.parse(PidfParserTest.resource("minimal.xml")),
                parser.parse(PidfParserTest.resource("cisco-busy.xml"))));

    assertEquals(once, PidfComposer.compose(ALICE, List.of(reparse(once))));
  }

  @Test
  void tuplesOfAllPublicationsAreMerged() throws PidfException {
    PidfDocument pc = doc(tuple("pc", "open"));
    PidfDocument phone = doc(tuple("phone", "closed"));

    PidfDocument composed = reparse(PidfComposer.compose(ALICE, List.of(pc, phone)));

    assertEquals(List.of("pc", "phone"), ids(composed.tuples()));
    assertEquals(Optional.of("open"), composed.tuples().get(0).basic());
    assertEquals(Optional.of("closed"), composed.tuples().get(1).basic());
  }

  @Test
  void sameTupleIdNewestWinsInThePlaceItFirstHad() throws PidfException {
    PidfDocument older = doc(tuple("t1", "open") + tuple("t2", "open"));
    PidfDocument newer = doc(tuple("t1", "closed"));

    PidfDocument composed = reparse(PidfComposer.compose(ALICE, List.of(older, newer)));

    assertEquals(List.of("t1", "t2"), ids(composed.tuples()));
    assertEquals(Optional.of("closed"), composed.tuples().get(0).basic());
    assertEquals(Optional.of("open"), composed.tuples().get(1).basic());
  }

  @Test
  void personChildrenMergeNewestWinningPerElementName() throws PidfException {
    PidfDocument older =
        parse(
            """
            <presence xmlns="urn:ietf:params:xml:ns:pidf"
                      xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
                      xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid"
                      xmlns:ce="urn:cisco:params:xml:ns:pidf:rpid"
                      entity="sip:old@example.com">
              <dm:person id="p-old">
                <rpid:activities><rpid:away/></rpid:activities>
                <dm:note>old one</dm:note>
                <dm:note>old two</dm:note>
                <ce:dnd/>
              </dm:person>
            </presence>
            """);
    PidfDocument newer =
        parse(
            """
            <presence xmlns="urn:ietf:params:xml:ns:pidf"
                      xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
                      entity="sip:new@example.com">
              <tuple id="phone"><status><basic>open</basic></status></tuple>
              <dm:person id="p-new">
                <dm:note>new one</dm:note>
                <dm:note>new two</dm:note>
                <r:activities xmlns:r="urn:ietf:params:xml:ns:pidf:rpid">
                  <r:on-the-phone/>
                </r:activities>
              </dm:person>
            </presence>
            """);

    PidfDocument composed = reparse(PidfComposer.compose(ALICE, List.of(older, newer)));

    assertEquals(1, composed.persons().size());
    PidfElement person = composed.persons().get(0);
    assertEquals(Optional.of("p-new"), person.id());
    List<PidfElement> children = person.person.children;
    assertEquals(
        List.of(
            "{urn:ietf:params:xml:ns:pidf:rpid}activities: ",
            "{urn:ietf:params:xml:ns:pidf:data-model}note: new one",
            "{urn:ietf:params:xml:ns:pidf:data-model}note: new two",
            "{urn:cisco:params:xml:ns:pidf:rpid}dnd: "),
        children.stream().map(PidfComposerTest::describe).toList());
    String activities = children.get(0).toXml();
    assertTrue(activities.contains("<r:on-the-phone/>"), activities);
    assertFalse(activities.contains("away"), activities);
  }

  @Test
  void childOfAnOlderPersonKeepsThePrefixItsPersonDeclared() throws PidfException {
    PidfDocument older =
        parse(
            """
            <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:alice@example.com">
              <dm:person xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
                         xmlns:c="urn:example:calendar" id="p-old">
                <c:meeting c:room="4.12">Planning</c:meeting>
              </dm:person>
            </presence>
            """);
    PidfDocument newer =
        parse(
            """
            <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:alice@example.com">
              <person xmlns="urn:ietf:params:xml:ns:pidf:data-model" id="p-new">
                <note>newer</note>
              </person>
            </presence>
            """);

    PidfDocument composed = reparse(PidfComposer.compose(ALICE, List.of(older, newer)));

    PidfElement person = composed.persons().get(0);
    assertEquals(Optional.of("p-new"), person.id());
    assertEquals(
        List.of(
            "{urn:example:calendar}meeting: Planning",
            "{urn:ietf:params:xml:ns:pidf:data-model}note: newer"),
        person.person.children.stream().map(PidfComposerTest::describe).toList());
  }

  @Test
  void layoutWhitespaceGoesMixedContentStays() throws PidfException {
    PidfDocument published =
        doc(
            """
            <x:card xmlns:x="urn:example:card">
              <x:line>Hello <x:b>big</x:b> world</x:line>
              <x:blank>  </x:blank>
            </x:card>
            """);

    String out = PidfComposer.compose(ALICE, List.of(published));

    assertTrue(
        out.contains(
            "<x:card xmlns:x=\"urn:example:card\">"
                + "<x:line>Hello <x:b>big</x:b> world</x:line><x:blank>  </x:blank></x:card>"),
        out);
  }

  @Test
  void personOfAnOlderPublicationStaysWhenTheNewestHasNone() throws PidfException {
    PidfDocument withPerson = parser.parse(PidfParserTest.resource("cisco-busy.xml"));
    PidfDocument withoutPerson = doc(tuple("pc", "open"));

    PidfDocument composed =
        reparse(PidfComposer.compose(ALICE, List.of(withPerson, withoutPerson)));

    assertEquals(elements(withPerson.persons()), elements(composed.persons()));
    assertEquals(List.of("cisco-1001", "pc"), ids(composed.tuples()));
  }

  @Test
  void devicesAreKeptOncePerIdNewestWinning() throws PidfException {
    PidfDocument older =
        parse(
            """
            <presence xmlns="urn:ietf:params:xml:ns:pidf"
                      xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
                      entity="sip:alice@example.com">
              <dm:device id="d1"><dm:note>old</dm:note></dm:device>
              <dm:device id="d2"/>
            </presence>
            """);
    PidfDocument newer =
        parse(
            """
            <presence xmlns="urn:ietf:params:xml:ns:pidf"
                      xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
                      entity="sip:alice@example.com">
              <dm:device id="d1"><dm:note>new</dm:note></dm:device>
            </presence>
            """);

    PidfDocument composed = reparse(PidfComposer.compose(ALICE, List.of(older, newer)));

    assertEquals(
        List.of(Optional.of("d1"), Optional.of("d2")),
        composed.devices().stream().map(PidfElement::id).toList());
    assertEquals("new", composed.devices().get(0).text());
  }

  @Test
  void topLevelNotesAreKeptOncePerText() throws PidfException {
    PidfDocument older = doc("<note>In the office</note><note>Back at 3</note>");
    PidfDocument newer = doc("<note>In the office</note><note xml:lang=\"fr\">Au bureau</note>");

    PidfDocument composed = reparse(PidfComposer.compose(ALICE, List.of(older, newer)));

    assertEquals(
        List.of("In the office", "Back at 3", "Au bureau"),
        composed.notes().stream().map(PidfElement::text).toList());
  }

  @Test
  void unknownExtensionPassesThroughVerbatim() throws PidfException {
    String custom =
        "<x:custom xmlns:x=\"urn:example:custom\" x:level=\"7\" plain=\"p &amp; q\">"
            + "<x:inner>text &amp; &lt;more&gt;</x:inner><x:empty/>"
            + "<other xmlns=\"urn:example:other\">default-namespaced</other>"
            + "</x:custom>";
    PidfDocument published = doc(tuple("t1", "open") + custom);

    String out = PidfComposer.compose(ALICE, List.of(published));

    assertTrue(out.contains(custom), out);
    PidfElement carried = reparse(out).extensions().get(0);
    assertEquals("urn:example:custom", carried.namespaceUri());
    assertEquals("custom", carried.localName());
  }

  @Test
  void extensionUsingARootDeclaredPrefixKeepsItsNamespace() throws PidfException {
    PidfDocument dnd =
        parse(
            """
            <presence xmlns="urn:ietf:params:xml:ns:pidf"
                      xmlns:ce="urn:cisco:params:xml:ns:pidf:rpid"
                      entity="sip:1001@cucm.example.com">
              <tuple id="t1"><status><basic>open</basic></status></tuple>
              <ce:dnd/>
            </presence>
            """);

    String out = PidfComposer.compose(ALICE, List.of(dnd));

    PidfElement carried = reparse(out).extensions().get(0);
    assertEquals("urn:cisco:params:xml:ns:pidf:rpid", carried.namespaceUri());
    assertEquals("dnd", carried.localName());
  }

  @Test
  void identicalExtensionsAppearOnce() throws PidfException {
    String ext = "<ce:dnd xmlns:ce=\"urn:cisco:params:xml:ns:pidf:rpid\"/>";
    String other = "<ce:available xmlns:ce=\"urn:cisco:params:xml:ns:pidf:rpid\"/>";

    PidfDocument composed =
        reparse(PidfComposer.compose(ALICE, List.of(doc(ext), doc(ext + other), doc(ext))));

    assertEquals(
        List.of("dnd", "available"),
        composed.extensions().stream().map(PidfElement::localName).toList());
  }

  @Test
  void samePrefixBoundToDifferentNamespacesStaysCorrect() throws PidfException {
    PidfDocument first =
        parse(
            """
            <presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:r="urn:ietf:params:xml:ns:pidf:rpid"
                      entity="sip:alice@example.com">
              <r:activities><r:busy/></r:activities>
            </presence>
            """);
    PidfDocument second =
        parse(
            """
            <presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:r="urn:example:other"
                      entity="sip:alice@example.com">
              <r:thing r:flag="1"/>
            </presence>
            """);

    String out = PidfComposer.compose(ALICE, List.of(first, second));

    assertTrue(out.contains("<r:thing xmlns:r=\"urn:example:other\" r:flag=\"1\"/>"), out);
    assertEquals(
        List.of(PidfDocument.RPID_NS, "urn:example:other"),
        reparse(out).extensions().stream().map(PidfElement::namespaceUri).toList());
  }

  @Test
  void elementsWithoutNamespaceKeepHavingNone() throws PidfException {
    PidfDocument prefixed =
        parse(
            """
            <p:presence xmlns:p="urn:ietf:params:xml:ns:pidf" entity="sip:alice@example.com">
              <p:tuple id="t1"><p:status><p:basic>open</p:basic></p:status></p:tuple>
              <plain>no namespace</plain>
            </p:presence>
            """);

    PidfDocument composed = reparse(PidfComposer.compose(ALICE, List.of(prefixed)));

    assertEquals(Optional.of("open"), composed.tuples().get(0).basic());
    PidfElement plain = composed.extensions().get(0);
    assertEquals("", plain.namespaceUri());
    assertEquals("plain", plain.localName());
  }

  @Test
  void rpidPassesThroughWithAttributesNestingAndText() throws PidfException {
    String activities =
        "<rpid:activities from=\"2024-05-01T09:00:00Z\" until=\"2024-05-01T10:00:00Z\">"
            + "<rpid:meeting/><rpid:other xml:lang=\"en\">Quarterly review</rpid:other>"
            + "</rpid:activities>";
    PidfDocument published =
        parse(
                """
            <presence xmlns="urn:ietf:params:xml:ns:pidf"
                      xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
                      xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid"
                      entity="sip:alice@example.com">
              <dm:person id="p1">%s</dm:person>
            </presence>
            """
                .formatted(activities));

    String out = PidfComposer.compose(ALICE, List.of(published));

    assertTrue(out.contains("<dm:person id=\"p1\">" + activities + "</dm:person>"), out);
    reparse(out);
  }

  @Test
  void entityIsTheGivenAddressEscaped() throws PidfException {
    String entity = "sip:a&b\"<c>@example.com";
    PidfDocument published = parser.parse(PidfParserTest.resource("minimal.xml"));

    String out = PidfComposer.compose(entity, List.of(published));

    assertTrue(out.contains("entity=\"sip:a&amp;b&quot;&lt;c&gt;@example.com\""), out);
    assertEquals(entity, reparse(out).entity());
  }

  @Test
  void specialCharactersInNotesAreEscaped() throws PidfException {
    PidfDocument published =
        doc("<note>Tom &amp; Jerry &lt;3 \"quoted\" ]]&gt; <![CDATA[<b>cdata</b>]]></note>");

    String out = PidfComposer.compose(ALICE, List.of(published));

    assertEquals("Tom & Jerry <3 \"quoted\" ]]> <b>cdata</b>", reparse(out).notes().get(0).text());
  }

  @Test
  void closedParsesAndSaysClosed() throws PidfException {
    String closed = PidfComposer.closed(ALICE);

    PidfDocument doc = reparse(closed);
    assertEquals(ALICE, doc.entity());
    assertEquals(1, doc.tuples().size());
    assertEquals(Optional.of("closed"), doc.tuples().get(0).basic());
    assertEquals(closed, PidfComposer.closed(ALICE));
  }

  @Test
  void noPublicationsGiveTheClosedDocument() {
    assertEquals(PidfComposer.closed(ALICE), PidfComposer.compose(ALICE, List.of()));
  }

  @Test
  void sameInputSameString() throws PidfException {
    List<PidfDocument> publications =
        List.of(
            parser.parse(PidfParserTest.resource("cisco-busy.xml")),
            doc(tuple("pc", "open") + "<note>hi</note>"));
    List<PidfDocument> parsedAgain =
        List.of(
            parser.parse(PidfParserTest.resource("cisco-busy.xml")),
            doc(tuple("pc", "open") + "<note>hi</note>"));

    String first = PidfComposer.compose(ALICE, publications);

    assertEquals(first, PidfComposer.compose(ALICE, publications));
    assertEquals(first, PidfComposer.compose(ALICE, parsedAgain));
  }

  @Test
  void entityThatXmlCannotCarryIsRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> PidfComposer.compose("sip:a\u0000b", List.of()));
    assertThrows(IllegalArgumentException.class, () -> PidfComposer.closed(""));
  }

  // --- helpers

  private PidfDocument parse(String xml) throws PidfException {
    return parser.parse(xml.getBytes(UTF_8));
  }

  /** A publication for alice with {@code content} under presence. */
  private PidfDocument doc(String content) throws PidfException {
    return parse(
        "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:alice@example.com\">"
            + content
            + "</presence>");
  }

  private static String tuple(String id, String basic) {
    return "<tuple id=\"" + id + "\"><status><basic>" + basic + "</basic></status></tuple>";
  }

  private PidfDocument reparse(String composed) throws PidfException {
    return parser.parse(composed.getBytes(UTF_8));
  }

  private static List<String> ids(List<PidfTuple> tuples) {
    return tuples.stream().map(PidfTuple::id).toList();
  }

  private static List<String> xml(List<PidfTuple> tuples) {
    return tuples.stream().map(PidfTuple::toXml).toList();
  }

  private static List<String> elements(List<PidfElement> elements) {
    return elements.stream().map(PidfElement::toXml).toList();
  }

  /** {namespace}local: text */
  private static String describe(PidfElement e) {
    return "{" + e.namespaceUri() + "}" + e.localName() + ": " + e.text();
  }
}
