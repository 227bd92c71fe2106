/**
 * What `/articles add` shows the moderator once a link's article is stored and answerable: the
 * article as members will see it cited, and how to ask about it.
 */
import type { APIEmbed } from "discord.js";
import { byline } from "../../answer/byline.js";
import { inlineCode, plainText, safeLinkUrl } from "./escape.js";
import { fitEmbeds, LIMITS, truncate } from "./limits.js";
import { COLORS, counted, escapedLine } from "./parts.js";

/** What {@link addedArticleEmbed} shows of an article. */
export interface AddedArticle {
  readonly id: string;
  readonly title: string;
  readonly url?: string;
  readonly source?: string;
  readonly published?: string;
  readonly paragraphs: readonly string[];
}

/**
 * The article a link gave: its title linking to the page (when the URL is safe), "Source · date"
 * and the paragraph count, its id, and `/ask article:<id>` to ask about it.
 * @param status - "added", or "updated" when the same link was given before (its text replaced)
 */
export function addedArticleEmbed(article: AddedArticle, status: "added" | "updated"): APIEmbed {
  const by = byline(article);
  const lines = [
    [
      by === undefined ? undefined : escapedLine(by, 200),
      counted(article.paragraphs.length, "paragraph"),
    ]
      .filter((part) => part !== undefined)
      .join(" · "),
    `Id: ${inlineCode(article.id)}`,
    `Ask about it with \`/ask article: ${plainText(article.id)}\`.`,
  ];
  const embed: APIEmbed = {
    title: escapedLine(article.title, LIMITS.embedTitle) || "Untitled",
    description: lines.join("\n"),
    color: COLORS.info,
    footer: {
      text: truncate(
        status === "added"
          ? "Added: members of this server can ask about it now."
          : "Updated: this link was added before; its text is now the page's current one.",
        LIMITS.footerText,
      ),
    },
  };
  const url = safeLinkUrl(article.url);
  if (url !== undefined) embed.url = url;
  return fitEmbeds([embed])[0] ?? { description: "…" };
}
