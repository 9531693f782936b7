package dev.herald.presence.winfo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.herald.presence.winfo.WatcherList.Event;
import dev.herald.presence.winfo.WatcherList.Status;
import dev.herald.presence.winfo.WatcherList.Watcher;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Fuzz target of watcher information composition (RFC 3858): any resource, package, watcher ids and
 * addresses (any UTF-16 text, control characters and lone surrogates included). Checked for every
 * input: the document is well-formed XML 1.0 in the watcherinfo namespace, and reading it back
 * gives every value as composed, with only the characters XML cannot carry replaced by U+FFFD.
 */
class WatcherListFuzzTest {
  private static final XMLInputFactory XML = XMLInputFactory.newDefaultFactory();

  static {
    XML.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    XML.setProperty(XMLInputFactory.IS_COALESCING, true);
  }

  @FuzzTest
  void document(FuzzedDataProvider data) throws XMLStreamException {
    String resource = data.consumeString(200);
    String eventPackage = data.consumeString(40);
    long version = data.consumeLong() & Long.MAX_VALUE; // consumeLong(0, MAX) can be negative
    List<Watcher> watchers = new ArrayList<>();
    int count = data.consumeInt(0, 8);
    for (int i = 0; i < count; i++) {
      watchers.add(
          new Watcher(
              data.consumeString(40),
              data.consumeString(200),
              data.pickValue(Status.values()),
              data.pickValue(Event.values())));
    }

    String document = new WatcherList(resource, eventPackage, watchers).document(version);

    List<String> read = new ArrayList<>();
    XMLStreamReader reader = XML.createXMLStreamReader(new StringReader(document));
    StringBuilder text = null;
    while (reader.hasNext()) {
      switch (reader.next()) {
        case XMLStreamConstants.START_ELEMENT -> {
          assertEquals(WatcherList.NAMESPACE, reader.getNamespaceURI());
          switch (reader.getLocalName()) {
            case "watcherinfo" -> read.add(reader.getAttributeValue(null, "version"));
            case "watcher-list" -> {
              read.add(reader.getAttributeValue(null, "resource"));
              read.add(reader.getAttributeValue(null, "package"));
            }
            case "watcher" -> {
              read.add(reader.getAttributeValue(null, "id"));
              read.add(reader.getAttributeValue(null, "status"));
              read.add(reader.getAttributeValue(null, "event"));
              text = new StringBuilder();
            }
            default -> throw new AssertionError("unexpected element " + reader.getLocalName());
          }
        }
        case XMLStreamConstants.CHARACTERS -> {
          if (text != null) {
            text.append(reader.getText());
          }
        }
        case XMLStreamConstants.END_ELEMENT -> {
          if (text != null) {
            read.add(text.toString());
            text = null;
          }
        }
        default -> {}
      }
    }

    List<String> expected = new ArrayList<>();
    expected.add(Long.toString(version));
    expected.add(WatcherList.xmlChars(resource));
    expected.add(WatcherList.xmlChars(eventPackage));
    for (Watcher w : watchers) {
      expected.add(WatcherList.xmlChars(w.id()));
      expected.add(w.status().token());
      expected.add(w.event().token());
      expected.add(WatcherList.xmlChars(w.uri()));
    }
    assertEquals(expected, read, document);
  }
}
