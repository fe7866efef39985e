import Foundation

extension Post {
    /// A feed item as a post, the same for every feed format: authors joined with ", ", `edited`
    /// when the item's update time is later than its publication, and, when the item has no id
    /// of its own (nor a link standing in for one), an id hashed from its content.
    /// The values are taken over (consumed), so building a post retains none of its strings again.
    static func feedItem(id: consuming String?, url: consuming String?, title: consuming String?, text: consuming String,
                         authors: [String], publishedAt: Date?, updatedAt: Date?, tags: consuming [String],
                         media: consuming [String]) -> Post {
        let hasID = id != nil
        var post = Post(
            id: id ?? "",
            url: url,
            title: title,
            text: text,
            author: authors.isEmpty ? nil : authors.joined(separator: ", "),
            publishedAt: publishedAt,
            updatedAt: updatedAt,
            edited: publishedAt != nil && updatedAt != nil && updatedAt! > publishedAt!,
            tags: tags,
            media: media
        )
        if !hasID { post.id = StableID.hash(of: post) }
        return post
    }
}
