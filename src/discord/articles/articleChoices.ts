/**
 * Autocomplete of an article option: the articles whose title or id contains what the user
 * typed, ignoring case, those that start with it first. The value sent back is the id.
 */
import type { AutocompleteInteraction } from "discord.js";
import type { Article } from "../../corpus/article.js";
import { choice } from "../format/format.js";
import type { CommandContext } from "../framework/command.js";

/** Discord shows at most 25 choices. */
export const MAX_CHOICES = 25;

/**
 * The choices for `typed`: title or id starting with it, then containing it; in the order
 * given (the library's list: newest first) within each group. Nothing typed lists the first articles.
 */
export function articleChoices(
  articles: readonly Article[],
  typed: string,
): { name: string; value: string }[] {
  const needle = typed.trim().toLowerCase();
  const starts: Article[] = [];
  const contains: Article[] = [];
  for (const article of articles) {
    const title = article.title.toLowerCase();
    const id = article.id.toLowerCase();
    if (title.startsWith(needle) || id.startsWith(needle)) starts.push(article);
    else if (title.includes(needle) || id.includes(needle)) contains.push(article);
    if (starts.length >= MAX_CHOICES) break;
  }
  return [...starts, ...contains]
    .slice(0, MAX_CHOICES)
    .map((article) => choice(article.title || article.id, article.id));
}

/** Answers the autocomplete of the option named `option` with {@link articleChoices}. */
export async function respondWithArticles(
  interaction: AutocompleteInteraction,
  ctx: CommandContext,
  option = "article",
): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const choices =
    focused.name === option
      ? articleChoices(
          ctx.services.answers.listArticles(interaction.guildId ?? undefined),
          focused.value,
        )
      : [];
  await interaction.respond(choices);
}
