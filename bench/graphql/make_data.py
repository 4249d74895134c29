"""Writes data.json: 20 users, each with 3 friends (users without further nesting), 2 posts with 2 comments."""
import json
import pathlib


def user(i, depth):
    u = {"__typename": "User", "id": f"u{i}", "name": f"User {i}", "email": f"user{i}@example.com", "age": 20 + i,
         "score": 1.5 * i, "active": i % 2 == 0, "role": ("ADMIN", "MEMBER", "GUEST")[i % 3],
         "tags": ["a", "b", f"t{i}"], "address": {"street": f"{i} Main St", "city": "Amsterdam", "country": "NL"}}
    if depth > 0:
        u["friends"] = [user((i + k) % 20, 0) | {"friends": [], "posts": []} for k in (1, 2, 3)]
        u["posts"] = [{"__typename": "Post", "id": f"p{i}-{k}", "title": f"Post {k} by {i}", "body": "Lorem ipsum " * 4,
                       "likes": i * k, "author": user(i, 0) | {"friends": [], "posts": []},
                       "comments": [{"__typename": "Comment", "id": f"c{i}-{k}-{c}", "text": f"Comment {c}",
                                     "author": user((i + c) % 20, 0) | {"friends": [], "posts": []}}
                                    for c in (1, 2)]} for k in (1, 2)]
    return u


users = [user(i, 1) for i in range(20)]
search = []
for u in users:
    search.extend([u, u["posts"][0], u["posts"][0]["comments"][0]])
data = {"viewer": users[0], "users": users, "search": search[:20]}
pathlib.Path(__file__).with_name("data.json").write_text(json.dumps(data))
