# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Compiled twins of the extractor's hot loops; each gives exactly what its Python original gives.

``scan_blocks`` is ``newsarchive._pure.scan_blocks``'s walk over the lxml
tree, reading libxml2's nodes directly instead of creating a Python proxy for
each of a page's ~800 elements and ~600 text nodes: Python objects are made
only for the text pieces and the blocks the walk keeps. ``minhash_bits`` is the
bin-minimum loop of ``newsarchive.dedupe.simhash``.

The Python twins in newsarchive/_pure/ stay the reference: tests/test_speedups.py
runs both on every fixture page and compares every value; newsarchive._native
chooses one set at import. Set NEWSARCHIVE_PURE_PYTHON=1 to run without this module.
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_GET_SIZE
from cpython.unicode cimport (
    PyUnicode_1BYTE_KIND,
    PyUnicode_2BYTE_KIND,
    PyUnicode_4BYTE_KIND,
    PyUnicode_DATA,
    PyUnicode_DecodeUTF8,
    PyUnicode_FromKindAndData,
    PyUnicode_KIND,
    Py_UNICODE_ISSPACE,
)
from libc.stdint cimport int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t
from libc.stdlib cimport calloc, free, malloc, realloc
from libc.string cimport memcpy, strcmp, strlen

cimport lxml.includes.etreepublic as cetree
from lxml.includes cimport tree
from lxml.includes.tree cimport xmlNode

cetree.import_lxml__etree()

from newsarchive import _walkspec

# The tag kinds and flags (the code of a tag: kind | flags), the skip answers and the
# frame layout are newsarchive/_walkspec.py's, read here once at import.
cdef int K_INLINE = _walkspec.K_INLINE
cdef int K_SKIP = _walkspec.K_SKIP
cdef int K_LINK = _walkspec.K_LINK
cdef int K_BREAK = _walkspec.K_BREAK
cdef int K_PARAGRAPH = _walkspec.K_PARAGRAPH
cdef int K_ROOT = _walkspec.K_ROOT
cdef int KIND_MASK = _walkspec.KIND_MASK
cdef int F_HIDDEN = _walkspec.F_HIDDEN
cdef int F_COLLECT = _walkspec.F_COLLECT
cdef int F_BLOCK = _walkspec.F_BLOCK
cdef int F_CELL = _walkspec.F_CELL
cdef int S_KEEP = _walkspec.S_KEEP
cdef int S_ALWAYS = _walkspec.S_ALWAYS
cdef int S_BY_NAME = _walkspec.S_BY_NAME
cdef Py_ssize_t N_FIELDS = len(_walkspec.FRAME_FIELDS)
cdef Py_ssize_t I_EL = _walkspec.EL, I_KIND = _walkspec.KIND, I_START = _walkspec.START
cdef Py_ssize_t I_CHARS = _walkspec.CHARS, I_LINK = _walkspec.LINK, I_PUNCT = _walkspec.PUNCT
cdef Py_ssize_t I_RUNS = _walkspec.RUNS, I_NEWRUN = _walkspec.NEWRUN, I_NBLOCK = _walkspec.NBLOCK
cdef Py_ssize_t I_TOT = _walkspec.TOT, I_TOTLINK = _walkspec.TOTLINK, I_SCORE = _walkspec.SCORE
cdef Py_ssize_t I_END = _walkspec.END

# A block's running state in the walk; handed out as a frame list (_walkspec.FRAME_FIELDS,
# with no parent link: the walk's stack is this array).
ctypedef struct Frame:
    xmlNode* node
    int kind
    Py_ssize_t start
    Py_ssize_t chars
    Py_ssize_t linkc
    Py_ssize_t punct
    Py_ssize_t runs
    bint newrun
    Py_ssize_t nblock
    Py_ssize_t tot
    Py_ssize_t totlink
    double score
    Py_ssize_t end


# Set once by configure(): tag name -> kind | flags, and the scoring constants.
cdef dict _codes = {}
cdef double _min_block_chars = 20.0
cdef double _max_link_density = 0.5
cdef double _decay = 0.5


def configure(dict codes, double min_block_chars, double max_link_density, double decay):
    """Take the body extractor's tables: *codes* maps a tag name to its code (a kind and
    flags of newsarchive._walkspec), and its scoring constants."""
    global _codes, _min_block_chars, _max_link_density, _decay
    _codes = dict(codes)
    _min_block_chars = min_block_chars
    _max_link_density = max_link_density
    _decay = decay


# A small cache of name pointer -> code for one walk: libxml2 interns element names,
# so a page's ~40 distinct tags are looked up in _codes once each.
DEF CACHE_SIZE = 128

ctypedef struct CodeCache:
    const char* names[CACHE_SIZE]
    int codes[CACHE_SIZE]


cdef int _lookup_code(CodeCache* cache, xmlNode* node) except -1:
    """Return the code of *node*: its kind (| F_HIDDEN | F_COLLECT), K_SKIP for comments and PIs."""
    if node.type != tree.XML_ELEMENT_NODE:
        return K_SKIP  # comment, processing instruction, entity reference
    if node.ns is not NULL and node.ns.href is not NULL:
        return K_INLINE  # "{ns}name" is in no table
    cdef const char* name = <const char*>node.name
    cdef size_t h = (<size_t>name >> 4) % CACHE_SIZE
    cdef int probe
    for probe in range(CACHE_SIZE):
        if cache.names[h] == name:
            return cache.codes[h]
        if cache.names[h] is NULL:
            break
        h = (h + 1) % CACHE_SIZE
    key = PyUnicode_DecodeUTF8(name, strlen(name), NULL)
    value = _codes.get(key)
    cdef int code = K_INLINE if value is None else <int>value
    if cache.names[h] is NULL:
        cache.names[h] = name
        cache.codes[h] = code
    return code


cdef inline bint _is_element(xmlNode* node) noexcept nogil:
    return (node.type == tree.XML_ELEMENT_NODE or node.type == tree.XML_COMMENT_NODE
            or node.type == tree.XML_ENTITY_REF_NODE or node.type == tree.XML_PI_NODE)


cdef inline xmlNode* _next_element(xmlNode* node) noexcept nogil:
    while node is not NULL and not _is_element(node):
        node = node.next
    return node


cdef inline xmlNode* _text_or_skip(xmlNode* node) noexcept nogil:
    # lxml's _textNodeOrSkip: text and CDATA nodes, stepping over XInclude markers.
    while node is not NULL:
        if node.type == tree.XML_TEXT_NODE or node.type == tree.XML_CDATA_SECTION_NODE:
            return node
        if node.type == tree.XML_XINCLUDE_START or node.type == tree.XML_XINCLUDE_END:
            node = node.next
        else:
            return NULL
    return NULL


cdef inline bint _ascii_space(uint8_t c) noexcept nogil:
    # The ASCII characters str.isspace() accepts.
    return c == 32 or (9 <= c <= 13) or (28 <= c <= 31)


cdef object _run_text(xmlNode* node):
    """Return the text of the run of text nodes starting at *node* as lxml's .text / .tail
    reads it, or None when the run is missing, empty or white space only."""
    cdef xmlNode* first = _text_or_skip(node)
    if first is NULL:
        return None
    cdef xmlNode* cur = first
    cdef Py_ssize_t count = 0
    cdef const uint8_t* data = NULL
    while cur is not NULL:
        if cur.content[0] != 0:
            data = <const uint8_t*>cur.content
        count += 1
        cur = _text_or_skip(cur.next)
    if data is NULL:
        return None
    cdef bytes joined
    cdef Py_ssize_t size, i
    if count == 1:
        size = <Py_ssize_t>strlen(<const char*>data)
    else:
        parts = []
        cur = first
        while cur is not NULL:
            parts.append(<bytes>(<const char*>cur.content))
            cur = _text_or_skip(cur.next)
        joined = b"".join(parts)
        data = <const uint8_t*>PyBytes_AS_STRING(joined)
        size = PyBytes_GET_SIZE(joined)
    for i in range(size):
        if not _ascii_space(data[i]):
            break
    else:
        return None
    text = PyUnicode_DecodeUTF8(<const char*>data, size, NULL)
    if data[i] >= 0x80 and text.isspace():
        return None
    return text


cdef Py_ssize_t _punct_count(str text) noexcept:
    # text.count("，") + text.count("。") + text.count("、") + text.count(",") + text.count(". ")
    cdef Py_UCS4 ch, prev = 0
    cdef Py_ssize_t n = 0
    for ch in text:
        if ch == 0xFF0C or ch == 0x3002 or ch == 0x3001 or ch == 0x2C or (ch == 0x20 and prev == 0x2E):
            n += 1
        prev = ch
    return n


cdef inline size_t _slot(xmlNode* node, size_t mask) noexcept nogil:
    cdef size_t h = <size_t>node
    h ^= h >> 17
    h *= <size_t>0x9E3779B97F4A7C15
    return (h >> 7) & mask


cdef class Pieces:
    """The page's visible text pieces, each the text or the tail of one element.

    *texts* are the pieces as str; the element behind a piece is made into a
    Python object only when asked (element(), owner()), and index_of() and
    index_after() search the tree in C. The tree must not be changed while this
    object is in use (extraction never changes it).
    """

    cdef readonly list texts
    cdef cetree._Document doc
    cdef list roots
    cdef xmlNode** nodes
    cdef uint8_t* tails
    cdef Py_ssize_t count, capacity
    # Open-addressing map node -> index of its text piece (own) / its tail piece (after).
    cdef xmlNode** keys
    cdef Py_ssize_t* own
    cdef Py_ssize_t* after
    cdef size_t mask
    # Elements of the collected tags under the first root, in document order.
    cdef xmlNode** tagged_nodes
    cdef Py_ssize_t tagged_count, tagged_capacity

    def __cinit__(self, cetree._Document doc):
        self.texts = []
        self.doc = doc
        self.roots = []
        self.capacity = 256
        self.nodes = <xmlNode**>malloc(self.capacity * sizeof(xmlNode*))
        self.tails = <uint8_t*>malloc(self.capacity * sizeof(uint8_t))
        self.keys = NULL
        self.own = NULL
        self.after = NULL
        self.tagged_capacity = 64
        self.tagged_nodes = <xmlNode**>malloc(self.tagged_capacity * sizeof(xmlNode*))
        if self.nodes is NULL or self.tails is NULL or self.tagged_nodes is NULL:
            raise MemoryError()

    def __dealloc__(self):
        free(self.nodes)
        free(self.tails)
        free(self.keys)
        free(self.own)
        free(self.after)
        free(self.tagged_nodes)

    cdef void collect(self, xmlNode* node) except *:
        cdef xmlNode** grown
        if self.tagged_count == self.tagged_capacity:
            self.tagged_capacity *= 2
            grown = <xmlNode**>realloc(self.tagged_nodes, self.tagged_capacity * sizeof(xmlNode*))
            if grown is NULL:
                raise MemoryError()
            self.tagged_nodes = grown
        self.tagged_nodes[self.tagged_count] = node
        self.tagged_count += 1

    def tagged(self, tuple tags not None):
        """Return the elements named one of *tags* under the first root, in document order,
        as ``root.iter(*tags)`` gives them; every tag must be one the walk collects."""
        cdef list names = [(<str>t).encode("utf-8") for t in tags]
        cdef list out = []
        cdef Py_ssize_t i
        cdef xmlNode* node
        for i in range(self.tagged_count):
            node = self.tagged_nodes[i]
            for name in names:
                if strcmp(<const char*>node.name, <const char*>(<bytes>name)) == 0:
                    out.append(cetree.elementFactory(self.doc, node))
                    break
        return out

    cdef void add(self, object text, xmlNode* node, bint is_tail) except *:
        cdef xmlNode** nodes
        cdef uint8_t* tails
        if self.count == self.capacity:
            self.capacity *= 2
            nodes = <xmlNode**>realloc(self.nodes, self.capacity * sizeof(xmlNode*))
            if nodes is NULL:
                raise MemoryError()
            self.nodes = nodes
            tails = <uint8_t*>realloc(self.tails, self.capacity * sizeof(uint8_t))
            if tails is NULL:
                raise MemoryError()
            self.tails = tails
        self.texts.append(text)
        self.nodes[self.count] = node
        self.tails[self.count] = is_tail
        self.count += 1

    cdef void index(self, list roots) except *:
        """Build the node -> piece maps (a later piece of the same kind wins, as in a dict)."""
        self.roots = roots
        cdef size_t size = 64
        while size < <size_t>(2 * self.count + 2):
            size *= 2
        self.mask = size - 1
        self.keys = <xmlNode**>calloc(size, sizeof(xmlNode*))
        self.own = <Py_ssize_t*>malloc(size * sizeof(Py_ssize_t))
        self.after = <Py_ssize_t*>malloc(size * sizeof(Py_ssize_t))
        if self.keys is NULL or self.own is NULL or self.after is NULL:
            raise MemoryError()
        cdef Py_ssize_t i
        cdef size_t h
        for i in range(self.count):
            h = _slot(self.nodes[i], self.mask)
            while self.keys[h] is not NULL and self.keys[h] is not self.nodes[i]:
                h = (h + 1) & self.mask
            if self.keys[h] is NULL:
                self.keys[h] = self.nodes[i]
                self.own[h] = -1
                self.after[h] = -1
            if self.tails[i]:
                self.after[h] = i
            else:
                self.own[h] = i

    cdef inline Py_ssize_t _lookup(self, xmlNode* node, bint tail) noexcept nogil:
        cdef size_t h = _slot(node, self.mask)
        while self.keys[h] is not NULL:
            if self.keys[h] is node:
                return self.after[h] if tail else self.own[h]
            h = (h + 1) & self.mask
        return -1

    def __len__(self):
        return self.count

    def element(self, Py_ssize_t i):
        """Return the element whose text or tail piece *i* is."""
        if not 0 <= i < self.count:
            raise IndexError(i)
        return cetree.elementFactory(self.doc, self.nodes[i])

    def is_tail(self, Py_ssize_t i):
        """Return True when piece *i* is an element's tail."""
        if not 0 <= i < self.count:
            raise IndexError(i)
        return bool(self.tails[i])

    def owner(self, Py_ssize_t i):
        """Return the element that holds piece *i* (for a tail, the element's parent, or None)."""
        if not 0 <= i < self.count:
            raise IndexError(i)
        cdef xmlNode* node = self.nodes[i]
        if self.tails[i]:
            node = node.parent
            if node is NULL or not _is_element(node):
                return None
        return cetree.elementFactory(self.doc, node)

    cdef Py_ssize_t _first_piece(self, xmlNode* top, bint with_tail) noexcept:
        """Index of the first piece in *top*'s subtree (and its tail when *with_tail*), or -1."""
        cdef xmlNode* node = top
        cdef xmlNode* nxt
        cdef Py_ssize_t i
        while True:
            i = self._lookup(node, False)
            if i >= 0:
                return i
            nxt = _next_element(node.children) if node.type == tree.XML_ELEMENT_NODE else NULL
            if nxt is not NULL:
                node = nxt
                continue
            while True:
                if with_tail or node is not top:
                    i = self._lookup(node, True)
                    if i >= 0:
                        return i
                if node is top:
                    return -1
                nxt = _next_element(node.next)
                if nxt is not NULL:
                    node = nxt
                    break
                node = node.parent

    cdef Py_ssize_t _walked_index(self, cetree._Element el, bint inside) except -2:
        cdef xmlNode* node = el._c_node
        cdef xmlNode* top = node
        cdef xmlNode* sib
        cdef Py_ssize_t i, at = -1, k
        while top.parent is not NULL and _is_element(top.parent):
            top = top.parent
        for k in range(len(self.roots)):
            if (<cetree._Element>self.roots[k])._c_node is top:
                at = k
                break
        if at < 0:
            return self.count
        if inside:
            i = self._first_piece(node, False)
            if i >= 0:
                return i
        while node is not NULL:
            i = self._lookup(node, True)
            if i >= 0:
                return i
            sib = _next_element(node.next)
            while sib is not NULL:
                i = self._first_piece(sib, True)
                if i >= 0:
                    return i
                sib = _next_element(sib.next)
            node = node.parent
            if node is not NULL and not _is_element(node):
                node = NULL
        for k in range(at + 1, len(self.roots)):
            i = self._first_piece((<cetree._Element>self.roots[k])._c_node, True)
            if i >= 0:
                return i
        return self.count

    def index_of(self, cetree._Element el not None):
        """Return the index of the first piece inside or after *el* (len() when none)."""
        return self._walked_index(el, True)

    def index_after(self, cetree._Element el not None):
        """Return the index of the first piece after *el* and everything in it (len() when none)."""
        return self._walked_index(el, False)

    def starts(self):
        """Return the offset of each piece in the pieces joined by newlines."""
        cdef list out = [0] * self.count
        cdef Py_ssize_t i, pos = 0
        for i in range(self.count):
            out[i] = pos
            pos += len(<str>self.texts[i]) + 1
        return out


cdef void _hidden_pieces(Pieces pieces, CodeCache* cache, xmlNode* node, bint collect) except *:
    """Collect the visible text inside *node*, a subtree the walk skips (_pure.walk._hidden_pieces)."""
    cdef int code = _lookup_code(cache, node)
    if collect and code & F_COLLECT:
        pieces.collect(node)
    cdef bint shown = node.type == tree.XML_ELEMENT_NODE and not (code & F_HIDDEN)
    if node.type != tree.XML_ELEMENT_NODE:
        return  # a comment or processing instruction: no text, no children
    if shown:
        text = _run_text(node.children)
        if text:
            pieces.add(text, node, False)
    cdef xmlNode* child = _next_element(node.children)
    while child is not NULL:
        _hidden_pieces(pieces, cache, child, collect)
        if shown:
            tail = _run_text(child.next)
            if tail:
                pieces.add(tail, child, True)
        child = _next_element(child.next)


cdef double _own_score(Frame* f) noexcept nogil:
    cdef Py_ssize_t chars = f.chars, link = f.linkc
    if chars < _min_block_chars and not f.punct:
        return 0.0
    if link > chars * _max_link_density:
        return 0.0
    cdef Py_ssize_t runs = f.runs or 1
    cdef double a = (chars - link) / 100.0
    cdef double b = 3.0 * runs
    return <double>(runs + f.punct) + (b if b < a else a)


cdef list _frame_list(Frame* f, cetree._Document doc):
    cdef list out = [None] * N_FIELDS
    out[I_EL] = cetree.elementFactory(doc, f.node)
    out[I_KIND] = f.kind
    out[I_START] = f.start
    out[I_CHARS] = f.chars
    out[I_LINK] = f.linkc
    out[I_PUNCT] = f.punct
    out[I_RUNS] = f.runs
    out[I_NEWRUN] = f.newrun
    out[I_NBLOCK] = f.nblock
    out[I_TOT] = f.tot
    out[I_TOTLINK] = f.totlink
    out[I_SCORE] = f.score
    out[I_END] = f.end
    return out


def scan_blocks(list roots, Py_ssize_t bound):
    """Walk *roots* as _pure.scan_blocks does; return (candidates, title_frames, Pieces).

    Frames are lists laid out as newsarchive._walkspec.FRAME_FIELDS, with no parent
    link (the "up" field is None).
    """
    if not roots:
        raise ValueError("scan_blocks needs at least one root element")
    cdef cetree._Element first = <cetree._Element?>roots[0]
    cdef cetree._Document doc = first._doc
    cdef Pieces pieces = Pieces(doc)
    cdef list candidates = []
    cdef list title_frames = []
    cdef CodeCache* cache = <CodeCache*>malloc(sizeof(CodeCache))
    cdef Frame* stack = <Frame*>malloc(64 * sizeof(Frame))
    cdef Py_ssize_t capacity = 64, depth = 0  # stack[depth - 1] is the innermost open block
    cdef Py_ssize_t links = 0, order = 0, n, size
    cdef xmlNode* root
    cdef xmlNode* node
    cdef xmlNode* nxt
    cdef Frame* top
    cdef Frame* frame
    cdef int code, kind
    cdef bint is_tail, descend, collect
    cdef double own
    cdef const uint8_t* data
    if cache is NULL or stack is NULL:
        free(cache)
        free(stack)
        raise MemoryError()
    for n in range(CACHE_SIZE):
        cache.names[n] = NULL
    try:
        for root_el in roots:
            root = (<cetree._Element?>root_el)._c_node
            collect = root is first._c_node
            node = root
            while True:
                # -- start event of node
                code = _lookup_code(cache, node)
                kind = code & KIND_MASK
                descend = True
                text = None
                if collect and code & F_COLLECT and kind != K_SKIP:
                    pieces.collect(node)  # a skipped subtree's are listed by _hidden_pieces
                if kind == K_SKIP:
                    _hidden_pieces(pieces, cache, node, collect)
                    descend = False
                elif kind == K_BREAK:
                    if depth:
                        stack[depth - 1].newrun = True
                else:
                    if kind == K_LINK:
                        links += 1
                    elif kind >= K_PARAGRAPH:
                        order += 1
                        if depth:
                            stack[depth - 1].nblock += 1
                        if depth == capacity:
                            capacity *= 2
                            frame = <Frame*>realloc(stack, capacity * sizeof(Frame))
                            if frame is NULL:
                                raise MemoryError()
                            stack = frame
                        frame = &stack[depth]
                        depth += 1
                        frame.node = node
                        frame.kind = kind
                        frame.start = order
                        frame.chars = frame.linkc = frame.punct = frame.runs = 0
                        frame.newrun = True
                        frame.nblock = frame.tot = frame.totlink = 0
                        frame.score = 0.0
                        frame.end = order
                    text = _run_text(node.children)
                    if text:
                        _add_text(pieces, stack, depth, links, text, node, False)
                nxt = _next_element(node.children) if descend else NULL
                if nxt is not NULL:
                    node = nxt
                    continue
                # -- end events: node, then its ancestors until one has a next sibling
                while True:
                    code = _lookup_code(cache, node)
                    kind = code & KIND_MASK
                    if kind >= K_PARAGRAPH:
                        frame = &stack[depth - 1]
                        own = 0.0
                        if frame.chars:
                            frame.tot += frame.chars
                            frame.totlink += frame.linkc
                            own = _own_score(frame)
                        if kind != K_PARAGRAPH:
                            frame.score += own
                            own = 0.0
                        if frame.score > 0:
                            frame.end = order
                        if frame.chars and frame.chars <= bound and frame.linkc * 2 <= frame.chars:
                            item = _frame_list(frame, doc)
                            title_frames.append(item)
                            if frame.score > 0:
                                candidates.append(item)
                        elif frame.score > 0:
                            candidates.append(_frame_list(frame, doc))
                        depth -= 1
                        if depth:
                            top = &stack[depth - 1]
                            top.tot += frame.tot
                            top.totlink += frame.totlink
                            top.newrun = True
                            if top.kind == K_ROOT:
                                top.score += own
                            elif frame.nblock == 1 and not frame.chars:
                                top.score += own + frame.score
                            else:
                                top.score += own + frame.score * _decay
                    elif kind == K_LINK:
                        links -= 1
                    tail = _run_text(node.next)
                    if tail:
                        _add_text(pieces, stack, depth, links, tail, node, True)
                    if node is root:
                        break
                    nxt = _next_element(node.next)
                    if nxt is not NULL:
                        node = nxt
                        break
                    node = node.parent
                if node is root:
                    break
    finally:
        free(cache)
        free(stack)
    pieces.index(roots)
    return candidates, title_frames, pieces


cdef inline void _add_text(Pieces pieces, Frame* stack, Py_ssize_t depth, Py_ssize_t links,
                           str text, xmlNode* node, bint is_tail) except *:
    """Add a text piece and credit it to the innermost open block (the end of _pure.scan_blocks's loop)."""
    pieces.add(text, node, is_tail)
    if not depth:
        return
    cdef Frame* top = &stack[depth - 1]
    cdef Py_ssize_t n = len(text)
    top.chars += n
    if links:
        top.linkc += n
    elif n > 10:
        top.punct += _punct_count(text)
    if top.newrun:
        top.runs += 1
        top.newrun = False


def minhash_bits(bytes utf16, uint64_t mix, uint64_t bit, uint64_t empty_bin):
    """Return dedupe.simhash's 64-bit value for the text whose UTF-16-LE bytes are *utf16*.

    A 3-gram g (three code units, little-endian) hashes to bits 24..47 of g * *mix*;
    the top 6 bits of the hash pick one of 64 bins; bin b gives bit b: the top bit
    of its smallest hash times *bit*, an empty bin borrowing the next filled bin's
    minimum xor (b + 1) * *empty_bin*. The text has at least three code units.
    """
    cdef const uint8_t* data = <const uint8_t*>PyBytes_AS_STRING(utf16)
    cdef Py_ssize_t units = PyBytes_GET_SIZE(utf16) // 2
    cdef Py_ssize_t i
    cdef int64_t mins[64]
    cdef uint64_t gram, m, value = 0
    cdef uint32_t h
    cdef int b, step
    for b in range(64):
        mins[b] = -1
    for i in range(units - 2):
        gram = 0
        for step in range(6):
            gram |= (<uint64_t>data[2 * i + step]) << (8 * step)
        h = <uint32_t>((gram * mix) >> 24) & 0xFFFFFF
        b = h >> 18
        if mins[b] < 0 or h < mins[b]:
            mins[b] = h
    for b in range(64):
        if mins[b] >= 0:
            m = <uint64_t>mins[b]
        else:
            m = 0
            for step in range(1, 64):
                if mins[(b + step) % 64] >= 0:
                    m = <uint64_t>mins[(b + step) % 64]
                    break
            m ^= <uint64_t>(b + 1) * empty_bin
        if (m * bit) >> 63:
            value |= (<uint64_t>1) << b
    return value


# -- text normalisation ------------------------------------------------------------

# normalize._HALF_WIDTH as lookup tables: a bitmap of the mapped characters (all in the
# Basic Multilingual Plane) and their replacements (-1: removed).
cdef uint8_t _mapped[8192]
cdef Py_UCS4 _map_keys[512]
cdef int32_t _map_values[512]
cdef Py_ssize_t _map_count = 0


def configure_text(dict table):
    """Take normalize.py's translation table: code point -> code point, " " or None."""
    global _map_count
    cdef Py_ssize_t i
    cdef int key
    for i in range(8192):
        _mapped[i] = 0
    items = sorted(table.items())
    if len(items) > 512:
        raise ValueError("translation table too large")
    for i, (key, value) in enumerate(items):
        if not 0 <= key < 0x10000:
            raise ValueError(f"code point {key:#x} outside the Basic Multilingual Plane")
        _map_keys[i] = key
        _map_values[i] = -1 if value is None else (ord(value) if isinstance(value, str) else value)
        _mapped[key >> 3] |= 1 << (key & 7)
    _map_count = len(items)


cdef inline bint _is_mapped(Py_UCS4 c) noexcept nogil:
    cdef uint32_t k = <uint32_t>c
    if k >= 0x10000:
        return False
    return ((_mapped[k >> 3] >> (k & 7)) & 1) != 0


cdef inline int32_t _map_value(Py_UCS4 c) noexcept nogil:
    cdef Py_ssize_t lo = 0, hi = _map_count - 1, mid
    while lo <= hi:
        mid = (lo + hi) // 2
        if _map_keys[mid] == c:
            return _map_values[mid]
        if _map_keys[mid] < c:
            lo = mid + 1
        else:
            hi = mid - 1
    return <int32_t>c


def normalize_chars(str text not None):
    """Return normalize._normalize_chars_py(*text*): characters mapped by the table, runs
    of spaces made one, white space stripped from both ends."""
    cdef Py_ssize_t n = len(text), i, start, end, m = 0
    cdef Py_UCS4 c, prev = 0
    cdef bint work = False
    for i in range(n):
        c = text[i]
        if _is_mapped(c) or (c == 0x20 and prev == 0x20):
            work = True
            break
        prev = c
    if not work:
        if n and (Py_UNICODE_ISSPACE(text[0]) or Py_UNICODE_ISSPACE(text[n - 1])):
            return text.strip()
        return text
    cdef Py_UCS4* out = <Py_UCS4*>malloc((n + 1) * sizeof(Py_UCS4))
    if out is NULL:
        raise MemoryError()
    cdef int32_t value
    try:
        for i in range(n):
            c = text[i]
            if _is_mapped(c):
                value = _map_value(c)
                if value < 0:
                    continue
                c = <Py_UCS4>value
            if c == 0x20 and m and out[m - 1] == 0x20:
                continue
            out[m] = c
            m += 1
        start = 0
        end = m
        while start < end and Py_UNICODE_ISSPACE(out[start]):
            start += 1
        while end > start and Py_UNICODE_ISSPACE(out[end - 1]):
            end -= 1
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out + start, end - start)
    finally:
        free(out)


# -- text content ------------------------------------------------------------------

def text_content(cetree._Element el not None):
    """Return the text of every text node under element *el*, in document order: what
    lxml.html's ``el.text_content()`` (XPath ``string()``) gives, without an XPath call."""
    cdef xmlNode* top = el._c_node
    if top.type != tree.XML_ELEMENT_NODE:
        return el.text_content()
    cdef xmlNode* node = top.children
    cdef size_t size = 0, length
    cdef char* buf = NULL
    cdef char* grown
    cdef size_t capacity = 0
    try:
        while node is not NULL and node is not top:
            if node.type == tree.XML_TEXT_NODE or node.type == tree.XML_CDATA_SECTION_NODE:
                if node.content is not NULL:
                    length = strlen(<const char*>node.content)
                    if size + length > capacity:
                        capacity = 2 * (size + length) + 64
                        grown = <char*>realloc(buf, capacity)
                        if grown is NULL:
                            raise MemoryError()
                        buf = grown
                    memcpy(buf + size, node.content, length)
                    size += length
            elif node.type == tree.XML_ENTITY_REF_NODE:
                return el.text_content()  # entity content: leave it to libxml2
            elif node.type == tree.XML_ELEMENT_NODE and node.children is not NULL:
                node = node.children
                continue
            # next in document order within top
            while node is not top and node.next is NULL:
                node = node.parent
            if node is top:
                break
            node = node.next
        return PyUnicode_DecodeUTF8(buf, size, NULL) if size else ""
    finally:
        free(buf)


# -- label search ------------------------------------------------------------------

ctypedef fused _unit:
    uint8_t
    uint16_t
    uint32_t


cdef void _find_in(const _unit* text, Py_ssize_t n, Py_ssize_t start, const uint8_t* first,
                   uint32_t** needles, Py_ssize_t* sizes, Py_ssize_t k, list out) except *:
    cdef Py_ssize_t i = start, j, t, m, size
    cdef uint32_t c
    cdef uint32_t* needle
    while i < n:
        c = text[i]
        if not first[c & 0xFF]:
            i += 1
            continue
        size = 0
        for t in range(k):
            m = sizes[t]
            needle = needles[t]
            if needle[0] != c or i + m > n:
                continue
            j = 1
            while j < m and <uint32_t>text[i + j] == needle[j]:
                j += 1
            if j == m:
                size = m
                break
        if size:
            out.append(i)
            i += size
        else:
            i += 1


def find_all(str text not None, tuple needles not None, Py_ssize_t start=0):
    """Return the offsets in *text*, from *start*, where one of *needles* begins.

    As a regular expression alternating *needles* (longest first) finds them:
    left to right, the longest needle that matches at an offset, and the search
    goes on after it. Needles must be non-empty.
    """
    cdef Py_ssize_t n = len(text), k, t, j
    cdef list out = []
    if not needles or start >= n:
        return out
    cdef list ordered = sorted(set(needles), key=len, reverse=True)
    k = len(ordered)
    cdef uint8_t first[256]
    cdef uint32_t** arrays = <uint32_t**>calloc(k, sizeof(uint32_t*))
    cdef Py_ssize_t* sizes = <Py_ssize_t*>malloc(k * sizeof(Py_ssize_t))
    cdef str needle
    cdef Py_UCS4 c
    try:
        if arrays is NULL or sizes is NULL:
            raise MemoryError()
        for t in range(256):
            first[t] = 0
        for t in range(k):
            needle = ordered[t]
            if not needle:
                raise ValueError("empty needle")
            sizes[t] = len(needle)
            arrays[t] = <uint32_t*>malloc(sizes[t] * sizeof(uint32_t))
            if arrays[t] is NULL:
                raise MemoryError()
            for j in range(sizes[t]):
                c = needle[j]
                arrays[t][j] = <uint32_t>c
            first[arrays[t][0] & 0xFF] = 1
        if start < 0:
            start = 0
        kind = PyUnicode_KIND(text)
        if kind == PyUnicode_1BYTE_KIND:
            _find_in(<const uint8_t*>PyUnicode_DATA(text), n, start, first, arrays, sizes, k, out)
        elif kind == PyUnicode_2BYTE_KIND:
            _find_in(<const uint16_t*>PyUnicode_DATA(text), n, start, first, arrays, sizes, k, out)
        else:
            _find_in(<const uint32_t*>PyUnicode_DATA(text), n, start, first, arrays, sizes, k, out)
        return out
    finally:
        if arrays is not NULL:
            for t in range(k):
                free(arrays[t])
        free(arrays)
        free(sizes)


# -- body lines --------------------------------------------------------------------

cdef object _raw_text(xmlNode* node):
    """Return what lxml's .text / .tail gives for the text run at *node*, blank or not (None when none)."""
    cdef xmlNode* first = _text_or_skip(node)
    if first is NULL:
        return None
    cdef xmlNode* second = _text_or_skip(first.next)
    if second is NULL:
        return PyUnicode_DecodeUTF8(<const char*>first.content, strlen(<const char*>first.content), NULL)
    parts = []
    while first is not NULL:
        parts.append(<bytes>(<const char*>first.content))
        first = _text_or_skip(first.next)
    return b"".join(parts).decode("utf-8")


cdef class _Lines:
    """_pure.collect_lines's running state: the current line's parts and link characters."""

    cdef list out
    cdef list parts
    cdef Py_ssize_t link_chars

    def __cinit__(self):
        self.out = []
        self.parts = []
        self.link_chars = 0

    cdef void flush(self) except *:
        if self.parts:
            text = "".join(self.parts)
            self.parts.clear()
            if text.strip():
                self.out.append((text, self.link_chars))
        self.link_chars = 0

    cdef inline void add(self, str text, Py_ssize_t links) except *:
        self.parts.append(text)
        if links:
            self.link_chars += len(text.strip())


def collect_lines(list roots, title_node, skip_kind, holds_most_of):
    """Return (lines, title_at) as _pure.collect_lines builds them.

    *lines* are (text, link characters) for each line of *roots* in page order;
    *title_at* the number of lines before the headline *title_node* (0 when it is
    not met). *skip_kind(el, tag)* and *holds_most_of(el, root, cache)* are
    the body extractor's own checks, asked only for elements that have attributes.
    """
    cdef _Lines lines = _Lines()
    cdef CodeCache* cache = <CodeCache*>malloc(sizeof(CodeCache))
    cdef xmlNode* title = NULL
    cdef xmlNode* root
    cdef xmlNode* node
    cdef xmlNode* nxt
    cdef xmlNode* skipped
    cdef Py_ssize_t links, title_at = 0, n
    cdef int code, kind, skip
    cdef cetree._Document doc
    if cache is NULL:
        raise MemoryError()
    for n in range(CACHE_SIZE):
        cache.names[n] = NULL
    if title_node is not None:
        title = (<cetree._Element?>title_node)._c_node
    try:
        for root_el in roots:
            root = (<cetree._Element?>root_el)._c_node
            doc = (<cetree._Element>root_el)._doc
            links = 0
            root_chars = []
            skipped = NULL
            node = root
            while True:
                # -- start event (elements only: a comment's one event is handled as an end)
                nxt = NULL
                if node.type == tree.XML_ELEMENT_NODE:
                    code = _lookup_code(cache, node)
                    kind = code & KIND_MASK
                    skip = S_KEEP
                    if node is not root:
                        if kind == K_SKIP:
                            skip = S_ALWAYS
                        elif node.properties is not NULL:
                            el = cetree.elementFactory(doc, node)
                            skip = skip_kind(el, el.tag)
                            if skip == S_BY_NAME and holds_most_of(el, root_el, root_chars):
                                skip = S_KEEP
                    if skip:
                        skipped = node
                        if code & F_BLOCK:
                            lines.flush()
                    else:
                        if code & F_BLOCK and not code & F_CELL:
                            lines.flush()
                        elif kind == K_LINK:
                            links += 1
                        text = _raw_text(node.children)
                        if text:
                            lines.add(text, links)
                        nxt = _next_element(node.children)
                if nxt is not NULL:
                    node = nxt
                    continue
                # -- end events: node, then its ancestors until one has a next sibling
                while True:
                    if node is skipped:
                        skipped = NULL
                    elif node.type == tree.XML_ELEMENT_NODE:
                        code = _lookup_code(cache, node)
                        kind = code & KIND_MASK
                        if kind == K_LINK:
                            links -= 1
                        elif code & F_CELL:
                            lines.parts.append(" ")
                        elif code & F_BLOCK:
                            lines.flush()
                        if node is title:
                            lines.parts.clear()
                            lines.link_chars = 0
                            title_at = len(lines.out)
                    if node is root:
                        break
                    tail = _raw_text(node.next)
                    if tail:
                        lines.add(tail, links)
                    nxt = _next_element(node.next)
                    if nxt is not NULL:
                        node = nxt
                        break
                    node = node.parent
                if node is root:
                    break
            lines.flush()
    finally:
        free(cache)
    return lines.out, title_at


# -- seen sets ---------------------------------------------------------------------

cdef class U64Set:
    """A set of 64-bit unsigned integers in one open-addressing table: 8 bytes a slot,
    at most half the slots used. Built from, and pickled as, the packed little-endian
    keys (``to_bytes()``), which newsarchive.seen's pure-Python set reads as well."""

    cdef uint64_t* slots
    cdef Py_ssize_t capacity, count
    cdef bint has_zero  # 0 marks an empty slot, so the key 0 is kept aside

    def __cinit__(self, bytes packed=b""):
        self.capacity = 1024
        self.slots = <uint64_t*>calloc(self.capacity, sizeof(uint64_t))
        if self.slots is NULL:
            raise MemoryError()
        cdef Py_ssize_t i, n = len(packed) // 8
        cdef const uint8_t* data = <const uint8_t*>PyBytes_AS_STRING(packed)
        cdef uint64_t key
        cdef int b
        for i in range(n):
            key = 0
            for b in range(8):
                key |= (<uint64_t>data[8 * i + b]) << (8 * b)
            self._add(key)

    def __dealloc__(self):
        free(self.slots)

    cdef inline Py_ssize_t _slot_of(self, uint64_t key) noexcept:
        cdef uint64_t h = key * <uint64_t>0x9E3779B97F4A7C15
        cdef Py_ssize_t mask = self.capacity - 1
        cdef Py_ssize_t i = <Py_ssize_t>(h >> 20) & mask
        while self.slots[i] != 0 and self.slots[i] != key:
            i = (i + 1) & mask
        return i

    cdef bint _add(self, uint64_t key) except -1:
        cdef Py_ssize_t i
        if key == 0:
            if self.has_zero:
                return False
            self.has_zero = True
            self.count += 1
            return True
        i = self._slot_of(key)
        if self.slots[i] == key:
            return False
        self.slots[i] = key
        self.count += 1
        if 2 * self.count > self.capacity:
            self._grow()
        return True

    cdef void _grow(self) except *:
        cdef uint64_t* old = self.slots
        cdef Py_ssize_t old_capacity = self.capacity, i
        cdef uint64_t* grown = <uint64_t*>calloc(2 * old_capacity, sizeof(uint64_t))
        if grown is NULL:
            raise MemoryError()
        self.slots = grown
        self.capacity = 2 * old_capacity
        for i in range(old_capacity):
            if old[i] != 0:
                self.slots[self._slot_of(old[i])] = old[i]
        free(old)

    def add(self, uint64_t key):
        """Add *key*; return True when it was not in the set."""
        return self._add(key)

    def __contains__(self, uint64_t key):
        if key == 0:
            return self.has_zero
        return self.slots[self._slot_of(key)] == key

    def __len__(self):
        return self.count

    def to_bytes(self):
        """Return the keys packed as little-endian 8-byte integers."""
        cdef bytearray out = bytearray(8 * self.count)
        cdef Py_ssize_t i, at = 0
        cdef int b
        cdef uint64_t key
        if self.has_zero:
            at = 8
        for i in range(self.capacity):
            key = self.slots[i]
            if key != 0:
                for b in range(8):
                    out[at + b] = (key >> (8 * b)) & 0xFF
                at += 8
        return bytes(out)

    def __reduce__(self):
        return (U64Set, (self.to_bytes(),))
