@testable import CampaignWatchCore
import Foundation
import Testing

@Suite struct PostJSONTests {
    @Test func exactlyTheContractFieldsInOrder() throws {
        let post = Post(id: "1", url: "https://x/1", title: "Заголовок \"в кавычках\"", text: "line\nnext\ttab\\ \u{1}",
                        author: nil, publishedAt: Date(timeIntervalSince1970: 1_674_914_531), updatedAt: nil,
                        tags: ["a", "б"], media: [])
        #expect(post.jsonLine == #"{"id":"1","url":"https://x/1","title":"Заголовок \"в кавычках\"","text":"line\nnext\ttab\\ \u0001","author":null,"published_at":"2023-01-28T14:02:11Z","updated_at":null,"edited":false,"tags":["a","б"],"media":[]}"#)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(post.jsonLine.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["id", "url", "title", "text", "author", "published_at", "updated_at", "edited", "tags", "media"])
        #expect(object["text"] as? String == post.text)
    }

    @Test func extraKeysOnlyWhenMeaningful() {
        var post = Post(id: "x", edited: true, editedAt: Date(timeIntervalSince1970: 0), forwardedFrom: "@channel", recovered: true)
        post.declaredAt = Date(timeIntervalSince1970: 1)
        #expect(post.jsonLine.hasSuffix(#","edited":true,"tags":[],"media":[],"edited_at":"1970-01-01T00:00:00Z","declared_at":"1970-01-01T00:00:01Z","forwarded_from":"@channel","recovered":true}"#))
        #expect(!Post(id: "y").jsonLine.contains("recovered"))
    }
}
