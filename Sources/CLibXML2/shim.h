#ifndef CAMPAIGNWATCH_CLIBXML2_SHIM_H
#define CAMPAIGNWATCH_CLIBXML2_SHIM_H

/* Debian's libxml2 is built with ICU, and encoding.h then includes ICU's headers, whose
   UErrorCode clashes with the copy Foundation carries (_FoundationICU) in any Swift module that
   imports both. Nothing here touches the ICU fields of xmlCharEncodingHandler, so the ICU part of
   the headers is left out. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/HTMLparser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <libxml/encoding.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>

/* Typed helpers for the few libxml2 entry points that are macros or that Swift imports poorly. */

/* xmlFree is a global function pointer in libxml2; Swift cannot call it directly. */
static inline void cxml_free(void *ptr) { xmlFree(ptr); }

/* The options every XML parse in this project uses: recover from errors, never load a DTD or
   anything from the network, never substitute entities (no XML_PARSE_NOENT), no huge limits. */
static inline int cxml_safe_xml_options(void) {
    return XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR
         | XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
}

static inline int cxml_safe_html_options(void) {
    return HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOWARNING | HTML_PARSE_NOERROR
         | HTML_PARSE_NOBLANKS | HTML_PARSE_COMPACT;
}

/* The HTML options for pages whose text is read (Telegram previews, Mastodon content): the safe
   options without HTML_PARSE_NOBLANKS, which drops the blank between two inline elements
   (`<tg-emoji>…</tg-emoji> <a>…</a>`) and so glues words together. */
static inline int cxml_safe_html_text_options(void) {
    return HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOWARNING | HTML_PARSE_NOERROR
         | HTML_PARSE_COMPACT;
}

/* The options of the streaming feed reader: as above, and the document's own encoding declaration
   ignored because the reader hands libxml2 text it has already decoded to UTF-8. */
static inline int cxml_feed_sax_options(void) {
    return XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR
         | XML_PARSE_IGNORE_ENC | XML_PARSE_COMPACT;
}

static inline unsigned int cxml_sax2_magic(void) { return XML_SAX2_MAGIC; }

/* Offset in the pushed bytes of the parser's read position (just past the tag a SAX callback
   reports). */
static inline unsigned long cxml_input_offset(xmlParserCtxtPtr ctxt) {
    if (ctxt == NULL || ctxt->input == NULL || ctxt->input->cur == NULL || ctxt->input->base == NULL) return 0;
    return ctxt->input->consumed + (unsigned long)(ctxt->input->cur - ctxt->input->base);
}

#endif
