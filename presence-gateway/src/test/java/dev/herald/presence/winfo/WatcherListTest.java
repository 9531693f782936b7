package dev.herald.presence.winfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.herald.presence.winfo.WatcherList.Event;
import dev.herald.presence.winfo.WatcherList.Status;
import dev.herald.presence.winfo.WatcherList.Watcher;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** RFC 3858 watcher information documents: structure, versions, escaping. */
class WatcherListTest {

  @Test
  void fullStateDocumentListsEveryWatcher() {
    WatcherList list =
        new WatcherList(
            "sip:alice@herald.test",
            "presence",
            List.of(
                new Watcher("w1", "sip:bob@partner.example", Status.PENDING, Event.SUBSCRIBE),
                new Watcher("w2", "sip:carol@herald.test", Status.ACTIVE, Event.APPROVED),
                new Watcher("w3", "sip:dave@herald.test", Status.TERMINATED, Event.TIMEOUT)));

    assertEquals(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<watcherinfo xmlns=\"urn:ietf:params:xml:ns:watcherinfo\" version=\"0\""
            + " state=\"full\">"
            + "<watcher-list resource=\"sip:alice@herald.test\" package=\"presence\">"
            + "<watcher id=\"w1\" status=\"pending\" event=\"subscribe\">"
            + "sip:bob@partner.example</watcher>"
            + "<watcher id=\"w2\" status=\"active\" event=\"approved\">"
            + "sip:carol@herald.test</watcher>"
            + "<watcher id=\"w3\" status=\"terminated\" event=\"timeout\">"
            + "sip:dave@herald.test</watcher>"
            + "</watcher-list></watcherinfo>",
        list.document(0));
  }

  @Test
  void noWatchersIsAnEmptyList() throws Exception {
    Document doc = parse(new WatcherList("sip:alice@herald.test", "presence", List.of()), 7);

    Element root = doc.getDocumentElement();
    assertEquals("watcherinfo", root.getLocalName());
    assertEquals(WatcherList.NAMESPACE, root.getNamespaceURI());
    assertEquals("7", root.getAttribute("version"));
    assertEquals("full", root.getAttribute("state"));
    NodeList lists = root.getElementsByTagNameNS(WatcherList.NAMESPACE, "watcher-list");
    assertEquals(1, lists.getLength());
    assertEquals(0, ((Element) lists.item(0)).getElementsByTagNameNS("*", "watcher").getLength());
  }

  @Test
  void theVersionIsTheOneGiven() {
    WatcherList list = new WatcherList("sip:alice@herald.test", "presence", List.of());
    assertEquals(true, list.document(41).contains(" version=\"41\" "));
    assertThrows(IllegalArgumentException.class, () -> list.document(-1));
  }

  /** A trusted peer's From URI may hold what XML must escape; it comes out as it went in. */
  @Test
  void userDataIsEscaped() throws Exception {
    String uri = "sip:a&b<c>\"d'@herald.test";
    String resource = "sip:x&\"y\"@herald.test";
    WatcherList list =
        new WatcherList(
            resource,
            "presence",
            List.of(new Watcher("i\"d&", uri, Status.ACTIVE, Event.SUBSCRIBE)));

    String text = list.document(0);
    Document doc = parse(list, 0);

    Element watcherList =
        (Element) doc.getElementsByTagNameNS(WatcherList.NAMESPACE, "watcher-list").item(0);
    assertEquals(resource, watcherList.getAttribute("resource"));
    Element watcher =
        (Element) doc.getElementsByTagNameNS(WatcherList.NAMESPACE, "watcher").item(0);
    assertEquals(uri, watcher.getTextContent());
    assertEquals("i\"d&", watcher.getAttribute("id"));
    assertEquals(false, text.contains("a&b"), text);
  }

  /** Characters XML 1.0 cannot hold at all become U+FFFD rather than a document nobody can read. */
  @Test
  void charactersXmlCannotHoldAreReplaced() throws Exception {
    String uri = "sip:a\u0001b\uD800@herald.test";
    WatcherList list =
        new WatcherList(
            "sip:alice@herald.test",
            "presence",
            List.of(new Watcher("w1", uri, Status.ACTIVE, Event.SUBSCRIBE)));

    Document doc = parse(list, 0);

    assertEquals(
        "sip:a\uFFFDb\uFFFD@herald.test",
        doc.getElementsByTagNameNS(WatcherList.NAMESPACE, "watcher").item(0).getTextContent());
  }

  @Test
  void aPairOfSurrogatesIsKept() {
    assertEquals("sip:\uD83D\uDE00\uFFFD@x", WatcherList.xmlChars("sip:\uD83D\uDE00\u0002@x"));
  }

  private static Document parse(WatcherList list, long version) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(list.document(version).getBytes(StandardCharsets.UTF_8)));
  }
}
