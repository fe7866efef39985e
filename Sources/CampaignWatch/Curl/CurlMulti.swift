import CCurl

/// One libcurl multi handle: the shared connection cache and the state of every transfer in
/// flight. Driven from one thread only (see `TransferLoop`); `wakeup` is the exception.
final class CurlMulti: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    init() throws(CurlError) {
        try CurlGlobal.ensureInitialized()
        guard let handle = curl_multi_init() else {
            throw CurlError(code: .multi(CURLM_INTERNAL_ERROR.rawValue), message: "curl_multi_init failed")
        }
        self.handle = handle
    }

    deinit {
        curl_multi_cleanup(handle)
    }

    func set(_ option: CURLMoption, _ value: Int) throws(CurlError) {
        try CurlError.check(ccurl_multi_setopt_long(handle, option, value))
    }

    func set(_ option: CURLMoption, pointer: UnsafeMutableRawPointer?) throws(CurlError) {
        try CurlError.check(ccurl_multi_setopt_pointer(handle, option, pointer))
    }

    func setSocketCallback(_ callback: ccurl_socket_callback) throws(CurlError) {
        try CurlError.check(ccurl_multi_setopt_socket_callback(handle, callback))
    }

    func setTimerCallback(_ callback: ccurl_timer_callback) throws(CurlError) {
        try CurlError.check(ccurl_multi_setopt_timer_callback(handle, callback))
    }

    func add(_ easy: CurlEasy) throws(CurlError) {
        try CurlError.check(curl_multi_add_handle(handle, easy.handle))
    }

    func remove(_ easy: CurlEasy) throws(CurlError) {
        try CurlError.check(curl_multi_remove_handle(handle, easy.handle))
    }

    @discardableResult
    func perform() throws(CurlError) -> Int {
        var running: Int32 = 0
        try CurlError.check(curl_multi_perform(handle, &running))
        return Int(running)
    }

    func poll(timeoutMilliseconds: Int) throws(CurlError) {
        try CurlError.check(curl_multi_poll(handle, nil, 0, Int32(clamping: timeoutMilliseconds), nil))
    }

    /// Interrupts `poll` from any thread.
    func wakeup() throws(CurlError) {
        try CurlError.check(curl_multi_wakeup(handle))
    }

    func socketAction(_ socket: curl_socket_t, events: Int32) throws(CurlError) {
        var running: Int32 = 0
        try CurlError.check(curl_multi_socket_action(handle, socket, events, &running))
    }

    /// How long curl wants to wait at most before it is driven again; -1 for "no timer".
    func timeoutMilliseconds() throws(CurlError) -> Int {
        var milliseconds = -1
        try CurlError.check(curl_multi_timeout(handle, &milliseconds))
        return milliseconds
    }

    /// Every transfer that finished since the last call, with its result code.
    func finished(_ body: (UnsafeMutableRawPointer, CURLcode) -> Void) {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(handle, &remaining) {
            if message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle {
                body(easy, ccurl_msg_result(message))
            }
        }
    }
}
